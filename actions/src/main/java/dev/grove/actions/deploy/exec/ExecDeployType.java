package dev.grove.actions.deploy.exec;

import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Cleanable;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/** {@code Deploy/exec}: local deploy, status and cleanup commands. */
public final class ExecDeployType extends BaseActionType implements Cleanable {

  private static final Schema.Obj SPEC =
      Schema.obj()
          .any(
              "deployCommand",
              "statusCommand",
              "cleanupCommand",
              "shell",
              "persistent",
              "statusTimeout",
              "env")
          .notActedOn("stopCommand")
          .build();

  private final ExecDeployHandler handler;

  /**
   * @param processes where persistent deploy commands keep running (the daemon's)
   * @param runner runs its other commands (the daemon's, which records them)
   */
  public ExecDeployType(PersistentProcesses processes, ProcessRunner runner) {
    super(ActionKind.DEPLOY, "exec", SPEC, Set.of("log", "stdout", "stderr"));
    this.handler = new ExecDeployHandler(runner, processes);
  }

  @Override
  public ActionHandler handler() {
    return handler;
  }

  @Override
  public void cleanup(ActionContext context) throws ActionException {
    handler.cleanup(context);
  }
}
