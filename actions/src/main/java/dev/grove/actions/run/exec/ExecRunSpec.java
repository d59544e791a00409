package dev.grove.actions.run.exec;

import dev.grove.actions.process.ShellCommand;
import dev.grove.actions.process.SpecValues;
import dev.grove.actions.run.Artifacts;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The spec of a {@code Run/exec} or {@code Test/exec} action.
 *
 * @param command what runs (required, as in Garden)
 * @param env added to the command's environment
 * @param statusCommand a Run's check: exit 0 means it need not run
 * @param artifacts copied out of the action's folder after the command ran
 */
public record ExecRunSpec(
    ShellCommand command,
    Map<String, String> env,
    Optional<ShellCommand> statusCommand,
    List<Artifacts> artifacts) {
  public ExecRunSpec {
    env = Map.copyOf(env);
    artifacts = List.copyOf(artifacts);
  }

  /** Reads a resolved spec; {@code action} names it in errors. */
  public static ExecRunSpec parse(Map<String, Object> spec, String action) throws ActionException {
    boolean shell = SpecValues.flag(spec, "shell", false, action);
    ShellCommand command =
        ShellCommand.parse(spec, "command", shell, action)
            .orElseThrow(
                () ->
                    new ActionException(
                        ActionCodes.INVALID_SPEC,
                        action + ": spec.command is missing; an exec Run or Test needs one.",
                        "Add spec.command, such as [\"npm\", \"test\"]."));
    return new ExecRunSpec(
        command,
        SpecValues.env(spec, action),
        ShellCommand.parse(spec, "statusCommand", shell, action),
        Artifacts.parse(spec, action));
  }
}
