package dev.grove.actions.build.exec;

import dev.grove.actions.process.ActionCommands;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;

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
    return commands.statusBy(ctx, spec.statusCommand(), spec.env());
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
