package dev.grove.actions.deploy.exec;

import dev.grove.actions.process.ActionCommands;
import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.process.ShellCommand;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.Cleanable;
import dev.grove.actions.spi.DeployLogs;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs {@code Deploy/exec}: status, deploy and cleanup commands. A {@code persistent} deploy
 * command keeps running in the daemon ({@link PersistentProcesses}) once it is ready: when its
 * {@code statusCommand} succeeds, or at once without one; {@code grove logs} reads its output as
 * one pod's ({@link ExecPods}).
 */
public final class ExecDeployHandler implements ActionHandler, Cleanable, DeployLogs {
  /** How often a persistent deploy's statusCommand is asked whether it is ready. */
  static final Duration READY_POLL = Duration.ofMillis(250);

  private final ActionCommands commands;
  private final PersistentProcesses processes;

  public ExecDeployHandler(ProcessRunner runner, PersistentProcesses processes) {
    this.commands = new ActionCommands(runner);
    this.processes = processes;
  }

  /** Ready when {@code statusCommand} exits 0 within {@code statusTimeout}. */
  @Override
  public Status status(ActionContext ctx) throws ActionException {
    ExecDeploySpec spec = spec(ctx);
    if (spec.persistent()) {
      // the process must run here, at this version: the daemon that started it may have restarted
      var process = processes.get(key(ctx));
      if (process.isEmpty()
          || !process.get().alive()
          || !process.get().version().equals(ctx.version())) {
        return Status.notReady("not-ready");
      }
      if (spec.statusCommand().isEmpty()) {
        return new Status(true, "ready", ActionCommands.noOutputs().values());
      }
    }
    if (spec.statusCommand().isEmpty()) {
      return Status.notReady("not-ready");
    }
    ShellCommand statusCommand = spec.statusCommand().get();
    ProcessRunner.Result result;
    try {
      result = commands.run(ctx, statusCommand, spec.env(), spec.statusTimeout());
    } catch (ActionException e) {
      if (!ActionCodes.TIMEOUT.equals(e.code())) {
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
    ExecDeploySpec spec = spec(ctx);
    if (spec.persistent()) {
      return persistent(ctx, spec);
    }
    return commands.runToSuccess(ctx, spec.deployCommand(), spec.env());
  }

  /**
   * Starts the deploy command in the background (replacing the one of an earlier deploy), waits
   * until its statusCommand succeeds (without one it is ready once started, as in Garden), and
   * leaves it running; its output stays readable with {@code grove logs}.
   */
  private Outputs persistent(ActionContext ctx, ExecDeploySpec spec) throws ActionException {
    String label = ctx.ref().toString();
    PersistentProcesses.Running process =
        processes.start(
            key(ctx),
            ctx.version(),
            label,
            spec.deployCommand().argv(),
            ctx.sourceDir(),
            ActionCommands.environment(ctx, spec.env()),
            ctx.log());
    if (spec.statusCommand().isPresent()) {
      awaitReady(ctx, spec, process);
    }
    process.detach();
    return ActionCommands.noOutputs();
  }

  /** Asks the statusCommand until it succeeds; fails when the process exits first. */
  private void awaitReady(
      ActionContext ctx, ExecDeploySpec spec, PersistentProcesses.Running process)
      throws ActionException {
    String label = ctx.ref().toString();
    long deadline = System.nanoTime() + ctx.timeout().toNanos();
    try {
      while (true) {
        if (ctx.cancellation().isCancelled()) {
          processes.stop(key(ctx), process);
          throw new ActionException(
              ActionCodes.CANCELLED,
              label + ": the persistent deploy command was cancelled before it was ready",
              "Nothing to fix: the run was cancelled.");
        }
        if (!process.alive()) {
          process.awaitOutput();
          throw new ActionException(
              ActionCodes.COMMAND_FAILED,
              label
                  + ": the persistent deploy command `"
                  + String.join(" ", spec.deployCommand().argv())
                  + "` exited with code "
                  + process.exitCode().orElse(-1)
                  + " before it was ready",
              "A persistent deploy command must keep running; see its output above"
                  + " (or `grove logs "
                  + ctx.ref().name()
                  + "`).");
        }
        if (commands
            .run(ctx, spec.statusCommand().get(), spec.env(), spec.statusTimeout())
            .succeeded()) {
          return;
        }
        if (System.nanoTime() - deadline > 0) {
          processes.stop(key(ctx), process);
          throw new ActionException(
              ActionCodes.TIMEOUT,
              label + ": the persistent deploy command was not ready (statusCommand) in time",
              "Raise the action's `timeout`, or check what its statusCommand waits for.");
        }
        process.awaitExit(READY_POLL); // woken early by an exit, reported above
      }
    } catch (InterruptedException e) {
      processes.stop(key(ctx), process);
      Thread.currentThread().interrupt();
      throw new ActionException(
          ActionCodes.CANCELLED, label + ": interrupted while starting", "Run it again.");
    }
  }

  /**
   * The process the key has (even a non-persistent Deploy's, left by an earlier persistent one);
   * none for a non-persistent Deploy: its output is in its deploy's log.
   */
  @Override
  public Optional<Pods> pods(ActionContext ctx) throws ActionException {
    Optional<PersistentProcesses.Running> process = processes.get(key(ctx));
    if (process.isPresent()) {
      return Optional.of(
          new ExecPods(processes, key(ctx), ctx.ref().name(), process.get().version()));
    }
    if (spec(ctx).persistent()) {
      throw new NotRunning(ctx.ref() + "'s persistent process is not running in this daemon");
    }
    return Optional.empty();
  }

  private static ExecDeploySpec spec(ActionContext ctx) throws ActionException {
    return ctx.spec(ExecDeploySpec.class, c -> ExecDeploySpec.parse(c.spec(), c.ref().toString()));
  }

  private static String key(ActionContext ctx) {
    return PersistentProcesses.key(ctx.projectRoot(), ctx.ref().toString());
  }

  /** Runs {@code cleanupCommand}; without one there is nothing Grove knows to remove. */
  @Override
  public void cleanup(ActionContext ctx) throws ActionException {
    ExecDeploySpec spec = spec(ctx);
    processes.stop(key(ctx));
    if (spec.cleanupCommand().isPresent()) {
      commands.runToSuccess(ctx, spec.cleanupCommand().get(), spec.env());
    }
  }
}
