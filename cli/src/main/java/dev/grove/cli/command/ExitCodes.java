package dev.grove.cli.command;

import dev.grove.api.error.ErrorCodes;
import dev.grove.cli.client.DaemonErrorException;
import dev.grove.cli.client.DaemonUnreachableException;
import picocli.CommandLine;

/** The one place where outcomes become exit codes. */
public final class ExitCodes {
  public static final int OK = 0;

  /** An action failed (and, for lack of a better code, a bug in Grove). */
  public static final int FAILED = 1;

  public static final int BAD_CONFIG_OR_ARGUMENTS = 2;
  public static final int DAEMON_UNREACHABLE = 3;

  private ExitCodes() {}

  public static int of(Throwable failure) {
    if (failure instanceof CommandLine.ParameterException || failure instanceof UsageException) {
      return BAD_CONFIG_OR_ARGUMENTS;
    }
    if (failure instanceof DaemonUnreachableException) {
      return DAEMON_UNREACHABLE;
    }
    if (failure instanceof DaemonErrorException daemon) {
      return ofCode(daemon.error().code());
    }
    return FAILED;
  }

  public static int ofCode(String code) {
    if (code == null) {
      return FAILED;
    }
    return switch (code) {
      case ErrorCodes.CONFIG_INVALID,
          ErrorCodes.PROJECT_NOT_FOUND,
          ErrorCodes.BAD_REQUEST,
          ErrorCodes.UNKNOWN_ACTION,
          ErrorCodes.ACTION_DISABLED ->
          BAD_CONFIG_OR_ARGUMENTS;
      case ErrorCodes.UNAUTHORIZED -> DAEMON_UNREACHABLE;
      default -> FAILED;
    };
  }
}
