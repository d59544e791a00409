package dev.grove.actions.process;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs exec actions' commands: in the action's source folder, with its environment, its log sink
 * and its cancellation.
 */
public final class ActionCommands {

  /** How many of the last output lines a failure message quotes. */
  static final int QUOTED_LINES = 5;

  private static final int QUOTED_WIDTH = 300;

  private final ProcessRunner runner;

  public ActionCommands(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * The command's environment: the CLI's, then {@code spec.env}, then the variables Grove and
   * Garden set for every exec command (the action's version, name and kind, the project root).
   */
  public static Map<String, String> environment(ActionContext ctx, Map<String, String> specEnv) {
    Map<String, String> env = new LinkedHashMap<>(ctx.env());
    env.putAll(specEnv);
    env.put("GROVE_ACTION_VERSION", ctx.version());
    env.put("GROVE_ACTION_NAME", ctx.ref().name());
    env.put("GROVE_ACTION_KIND", ctx.ref().kind().name().toLowerCase(Locale.ROOT));
    env.put("GROVE_PROJECT_ROOT", ctx.projectRoot().toString());
    env.put("GARDEN_ACTION_VERSION", ctx.version());
    env.put("GARDEN_MODULE_VERSION", ctx.version());
    return env;
  }

  /** Runs {@code command}; a non-zero exit is in the result. */
  public ProcessRunner.Result run(
      ActionContext ctx, ShellCommand command, Map<String, String> specEnv, Duration timeout)
      throws ActionException {
    return runner.run(
        ctx.ref().toString(),
        command.argv(),
        ctx.sourceDir(),
        environment(ctx, specEnv),
        ctx.log(),
        ctx.cancellation(),
        timeout);
  }

  /**
   * An exec action's status by its {@code statusCommand}: ready with its outputs when it exits 0,
   * {@code outdated} when not, {@code not-ready} without one.
   */
  public ActionHandler.Status statusBy(
      ActionContext ctx, java.util.Optional<ShellCommand> statusCommand, Map<String, String> env)
      throws ActionException {
    if (statusCommand.isEmpty()) {
      return ActionHandler.Status.notReady("not-ready");
    }
    ProcessRunner.Result result = run(ctx, statusCommand.get(), env, ctx.timeout());
    return result.succeeded()
        ? new ActionHandler.Status(true, "ready", outputs(result).values())
        : ActionHandler.Status.notReady("outdated");
  }

  /**
   * Runs {@code command} within the action's timeout and returns its outputs.
   *
   * @throws ActionException {@code COMMAND_FAILED} on a non-zero exit, quoting the last output
   */
  public ActionHandler.Outputs runToSuccess(
      ActionContext ctx, ShellCommand command, Map<String, String> specEnv) throws ActionException {
    ProcessRunner.Result result = run(ctx, command, specEnv, ctx.timeout());
    if (!result.succeeded()) {
      throw failed(ctx, command, result);
    }
    return outputs(result);
  }

  /** The runtime outputs of an exec action: {@code log}, {@code stdout}, {@code stderr}. */
  public static ActionHandler.Outputs outputs(ProcessRunner.Result result) {
    return new ActionHandler.Outputs(
        Map.of("log", result.log(), "stdout", result.stdout(), "stderr", result.stderr()));
  }

  /** The outputs of an exec action that ran no command. */
  public static ActionHandler.Outputs noOutputs() {
    return new ActionHandler.Outputs(Map.of("log", "", "stdout", "", "stderr", ""));
  }

  public static ActionException failed(
      ActionContext ctx, ShellCommand command, ProcessRunner.Result result) {
    return exited(
        ctx,
        command.field() + " `" + command.shown() + "` exited with code " + result.exitCode(),
        result.stderr().isBlank() ? result.stdout() : result.stderr(),
        "Look at the command's log above for the cause, fix it, and run " + ctx.ref() + " again.");
  }

  /**
   * A command's failure ({@code COMMAND_FAILED}): {@code what} happened (`npm test` exited with
   * code 3 ...), then the last lines of its {@code output}.
   */
  public static ActionException exited(
      ActionContext ctx, String what, String output, String suggestion) {
    List<String> last = lastLines(output);
    StringBuilder message = new StringBuilder().append(ctx.ref()).append(": ").append(what);
    if (!last.isEmpty()) {
      message.append(":");
      last.forEach(line -> message.append("\n  ").append(line));
    }
    return new ActionException(ActionCodes.COMMAND_FAILED, message.toString(), suggestion);
  }

  /**
   * The last lines of {@code output} worth quoting in a failure (blank lines skipped, long ones
   * cut).
   */
  private static List<String> lastLines(String output) {
    List<String> lines = new ArrayList<>();
    String[] all = output.split("\n");
    for (int i = all.length - 1; i >= 0 && lines.size() < QUOTED_LINES; i--) {
      String line = all[i].strip();
      if (!line.isEmpty()) {
        lines.add(0, line.length() > QUOTED_WIDTH ? line.substring(0, QUOTED_WIDTH) + "..." : line);
      }
    }
    return lines;
  }
}
