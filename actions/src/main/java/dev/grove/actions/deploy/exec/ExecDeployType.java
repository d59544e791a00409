package dev.grove.actions.deploy.exec;

import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/** {@code Deploy/exec}: local deploy, status and cleanup commands. */
public final class ExecDeployType extends BaseActionType {

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

  public ExecDeployType() {
    super(ActionKind.DEPLOY, "exec", SPEC, Set.of("log", "stdout", "stderr"));
  }
}
