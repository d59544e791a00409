package dev.grove.actions.run;

import dev.grove.actions.process.ActionCommands;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;

/** Runs {@code Run/exec} and {@code Test/exec}: never ready, so the command runs every time. */
public final class ExecRunHandler implements ActionHandler {
  private final ActionCommands commands;

  public ExecRunHandler(ProcessRunner runner) {
    this.commands = new ActionCommands(runner);
  }

  @Override
  public Status status(ActionContext ctx) throws ActionException {
    ctx.spec(ExecRunSpec.class, c -> ExecRunSpec.parse(c.spec(), c.ref().toString()));
    return Status.notReady("not-ready");
  }

  @Override
  public Outputs process(ActionContext ctx) throws ActionException {
    ExecRunSpec spec =
        ctx.spec(ExecRunSpec.class, c -> ExecRunSpec.parse(c.spec(), c.ref().toString()));
    return commands.runToSuccess(ctx, spec.command(), spec.env());
  }
}
