package dev.grove.actions.deploy.exec;

import dev.grove.actions.process.ShellCommand;
import dev.grove.actions.process.SpecValues;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The spec of a {@code Deploy/exec} action.
 *
 * @param deployCommand what deploys it (required, as in Garden)
 * @param statusCommand exits 0 when it is deployed; none means it always deploys
 * @param cleanupCommand what removes it; none means cleanup does nothing
 * @param persistent the deploy command keeps running in the daemon once ready (its statusCommand
 *     succeeds, or at once without one); its output is served by {@code grove logs}
 * @param statusTimeout how long the status command may take
 * @param env added to each command's environment
 */
public record ExecDeploySpec(
    ShellCommand deployCommand,
    Optional<ShellCommand> statusCommand,
    Optional<ShellCommand> cleanupCommand,
    boolean persistent,
    Duration statusTimeout,
    Map<String, String> env) {

  /** Garden's default {@code statusTimeout}. */
  public static final Duration DEFAULT_STATUS_TIMEOUT = Duration.ofSeconds(10);

  public ExecDeploySpec {
    env = Map.copyOf(env);
  }

  /** Reads a resolved spec; {@code action} names it in errors. */
  public static ExecDeploySpec parse(Map<String, Object> spec, String action)
      throws ActionException {
    boolean shell = SpecValues.flag(spec, "shell", false, action);
    ShellCommand deploy =
        ShellCommand.parse(spec, "deployCommand", shell, action)
            .orElseThrow(
                () ->
                    new ActionException(
                        ActionCodes.INVALID_SPEC,
                        action + ": spec.deployCommand is missing; a Deploy/exec needs one.",
                        "Add spec.deployCommand, such as [\"./deploy.sh\"]."));
    return new ExecDeploySpec(
        deploy,
        ShellCommand.parse(spec, "statusCommand", shell, action),
        ShellCommand.parse(spec, "cleanupCommand", shell, action),
        SpecValues.flag(spec, "persistent", false, action),
        SpecValues.seconds(spec, "statusTimeout", DEFAULT_STATUS_TIMEOUT, action),
        SpecValues.env(spec, action));
  }
}
