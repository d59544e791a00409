package dev.grove.actions.build.exec;

import dev.grove.actions.process.ShellCommand;
import dev.grove.actions.process.SpecValues;
import dev.grove.actions.spi.ActionException;
import java.util.Map;
import java.util.Optional;

/**
 * The spec of a {@code Build/exec} action.
 *
 * @param command what builds it; none means the Build only gathers files (Garden allows that)
 * @param statusCommand exits 0 when the build is already done; none means it always runs
 * @param env added to the command's environment
 */
public record ExecBuildSpec(
    Optional<ShellCommand> command, Optional<ShellCommand> statusCommand, Map<String, String> env) {

  public ExecBuildSpec {
    env = Map.copyOf(env);
  }

  /** Reads a resolved spec; {@code action} names it in errors. */
  public static ExecBuildSpec parse(Map<String, Object> spec, String action)
      throws ActionException {
    boolean shell = SpecValues.flag(spec, "shell", false, action);
    return new ExecBuildSpec(
        ShellCommand.parse(spec, "command", shell, action),
        ShellCommand.parse(spec, "statusCommand", shell, action),
        SpecValues.env(spec, action));
  }
}
