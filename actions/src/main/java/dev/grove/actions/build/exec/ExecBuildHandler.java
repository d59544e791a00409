package dev.grove.actions.build.exec;

import dev.grove.actions.process.ActionCommands;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.process.ShellCommand;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import java.util.Optional;

/** Runs {@code Build/exec}: the status command decides whether the build command runs. */
public final class ExecBuildHandler implements ActionHandler {
  private final ActionCommands commands;

  public ExecBuildHandler(ProcessRunner runner) {
    this.commands = new ActionCommands(runner);
  }

  @Override
  public Status status(ActionContext ctx) throws ActionException {
    ExecBuildSpec spec =
        ctx.spec(ExecBuildSpec.class, c -> ExecBuildSpec.parse(c.spec(), c.ref().toString()));
    Optional<ShellCommand> statusCommand = spec.statusCommand();
    if (statusCommand.isEmpty()) {
      return Status.notReady("not-ready");
    }
    ProcessRunner.Result result = commands.run(ctx, statusCommand.get(), spec.env(), ctx.timeout());
    return result.succeeded()
        ? new Status(true, "ready", ActionCommands.outputs(result).values())
        : Status.notReady("outdated");
  }

  @Override
  public Outputs process(ActionContext ctx) throws ActionException {
    ExecBuildSpec spec =
        ctx.spec(ExecBuildSpec.class, c -> ExecBuildSpec.parse(c.spec(), c.ref().toString()));
    if (spec.command().isEmpty()) {
      return ActionCommands.noOutputs();
    }
    return commands.runToSuccess(ctx, spec.command().get(), spec.env());
  }
}
