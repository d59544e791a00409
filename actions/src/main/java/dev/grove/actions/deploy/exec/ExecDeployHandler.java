package dev.grove.actions.deploy.exec;

import dev.grove.actions.process.ActionCommands;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.process.ShellCommand;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.Cleanable;

/** Runs {@code Deploy/exec}: status, deploy and cleanup commands. */
public final class ExecDeployHandler implements ActionHandler, Cleanable {
  private final ActionCommands commands;

  public ExecDeployHandler(ProcessRunner runner) {
    this.commands = new ActionCommands(runner);
  }

  /** Ready when {@code statusCommand} exits 0 within {@code statusTimeout}. */
  @Override
  public Status status(ActionContext ctx) throws ActionException {
    ExecDeploySpec spec = ExecDeploySpec.parse(ctx.spec(), ctx.ref().toString());
    if (spec.statusCommand().isEmpty()) {
      return Status.notReady("not-ready");
    }
    ShellCommand statusCommand = spec.statusCommand().get();
    ProcessRunner.Result result;
    try {
      result = commands.run(ctx, statusCommand, spec.env(), spec.statusTimeout());
    } catch (ActionException e) {
      if (!ActionException.TIMEOUT.equals(e.code())) {
        throw e;
      }
      throw new ActionException(
          e.code(),
          e.getMessage() + " (spec.statusTimeout)",
          "Raise spec.statusTimeout or make the statusCommand faster.");
    }
    return result.succeeded()
        ? new Status(true, "ready", ActionCommands.outputs(result).values())
        : Status.notReady("outdated");
  }

  /** Runs {@code deployCommand}, {@code persistent} or not (see {@link ExecDeploySpec}). */
  @Override
  public Outputs process(ActionContext ctx) throws ActionException {
    ExecDeploySpec spec = ExecDeploySpec.parse(ctx.spec(), ctx.ref().toString());
    return commands.runToSuccess(ctx, spec.deployCommand(), spec.env());
  }

  /** Runs {@code cleanupCommand}; without one there is nothing Grove knows to remove. */
  @Override
  public void cleanup(ActionContext ctx) throws ActionException {
    ExecDeploySpec spec = ExecDeploySpec.parse(ctx.spec(), ctx.ref().toString());
    if (spec.cleanupCommand().isPresent()) {
      commands.runToSuccess(ctx, spec.cleanupCommand().get(), spec.env());
    }
  }
}
