package dev.grove.actions.build.exec;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/** {@code Build/exec}: a local command. */
public final class ExecBuildType extends BaseActionType {

  private static final Schema.Obj SPEC =
      Schema.obj().any("command", "shell", "env", "statusCommand").build();

  private final ActionHandler handler;

  /**
   * @param runner runs its commands (the daemon's, which records them)
   */
  public ExecBuildType(ProcessRunner runner) {
    super(ActionKind.BUILD, "exec", SPEC, Set.of("log", "stdout", "stderr"));
    this.handler = new ExecBuildHandler(runner);
  }

  @Override
  public ActionHandler handler() {
    return handler;
  }
}
