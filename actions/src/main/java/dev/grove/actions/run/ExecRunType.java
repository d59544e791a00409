package dev.grove.actions.run;

import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/** {@code Run/exec} and {@code Test/exec}: parsed and graphed; not run by Grove yet. */
public final class ExecRunType extends BaseActionType {

  private static final Schema.Obj SPEC =
      Schema.obj().any("command", "shell", "env", "artifacts", "statusCommand").build();

  public ExecRunType(ActionKind kind) {
    super(kind, "exec", SPEC, Set.of("log", "stdout", "stderr"));
  }
}
