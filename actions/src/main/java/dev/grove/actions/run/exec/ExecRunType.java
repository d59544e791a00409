package dev.grove.actions.run.exec;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/** {@code Run/exec} and {@code Test/exec}: a local command, run every time. */
public final class ExecRunType extends BaseActionType {

  private static final Schema.Obj SPEC =
      Schema.obj().any("command", "shell", "env", "artifacts", "statusCommand").build();

  private final ActionHandler handler;

  /**
   * @param runner runs its commands (the daemon's, which records them)
   */
  public ExecRunType(ActionKind kind, ProcessRunner runner) {
    super(kind, "exec", SPEC, Set.of("log", "stdout", "stderr"));
    this.handler = new ExecRunHandler(runner);
  }

  @Override
  public ActionHandler handler() {
    return handler;
  }
}
