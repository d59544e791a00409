package dev.grove.actions.run.exec;

import dev.grove.actions.process.ActionCommands;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.run.Artifacts;
import dev.grove.actions.run.LocalResults;
import dev.grove.actions.run.RunResults;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.LogSink;
import dev.grove.actions.spi.RunResult;
import dev.grove.api.action.ActionKind;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code Run/exec} and {@code Test/exec}, keeping each one's last result in the project's
 * {@code .grove/results} ({@code grove get test-result}). A Test whose version passed before is
 * ready; a Run is ready when its {@code statusCommand} exits 0, and otherwise runs every time, as
 * in Garden.
 */
public final class ExecRunHandler implements ActionHandler, ActionHandler.ResultReader {
  private final ActionCommands commands;

  public ExecRunHandler(ProcessRunner runner) {
    this.commands = new ActionCommands(runner);
  }

  private static ExecRunSpec spec(ActionContext ctx) throws ActionException {
    return ctx.spec(ExecRunSpec.class, c -> ExecRunSpec.parse(c.spec(), c.ref().toString()));
  }

  @Override
  public java.util.Optional<RunResult> lastResult(ActionContext ctx) {
    return LocalResults.read(ctx);
  }

  @Override
  public Status status(ActionContext ctx) throws ActionException {
    ExecRunSpec spec = spec(ctx);
    if (ctx.ref().kind() == ActionKind.TEST) {
      Status status = RunResults.status(ctx, List.of(LocalResults.read(ctx)));
      if (!status.ready()) {
        return status;
      }
      Map<String, Object> outputs = new java.util.LinkedHashMap<>(status.outputs());
      outputs.put("stdout", "");
      outputs.put("stderr", "");
      return new Status(true, status.detail(), outputs);
    }
    return commands.statusBy(ctx, spec.statusCommand(), spec.env());
  }

  @Override
  public Outputs process(ActionContext ctx) throws ActionException {
    ExecRunSpec spec = spec(ctx);
    Instant started = Instant.now();
    ProcessRunner.Result result = commands.run(ctx, spec.command(), spec.env(), ctx.timeout());
    if (!spec.artifacts().isEmpty()) {
      try {
        int copied = Artifacts.copy(ctx, spec.artifacts());
        ctx.log()
            .line(
                LogSink.STDOUT,
                "grove: copied "
                    + copied
                    + (copied == 1 ? " artifact file" : " artifact files")
                    + " to "
                    + ctx.projectRoot().relativize(Artifacts.root(ctx.projectRoot())));
      } catch (IOException e) {
        throw new ActionException(
            ActionCodes.COMMAND_FAILED,
            ctx.ref() + ": could not copy its artifacts: " + e.getMessage(),
            "Check that .grove/artifacts in the project can be written.");
      }
    }
    try {
      LocalResults.write(
          ctx,
          new RunResult(ctx.version(), result.exitCode(), started, Instant.now(), result.log()));
    } catch (IOException e) {
      ctx.log()
          .line(
              LogSink.STDERR,
              "grove: could not keep the result in .grove/results: " + e.getMessage());
    }
    if (!result.succeeded()) {
      throw ActionCommands.failed(ctx, spec.command(), result);
    }
    return ActionCommands.outputs(result);
  }
}
