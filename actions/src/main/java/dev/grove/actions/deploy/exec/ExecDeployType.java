package dev.grove.actions.deploy.exec;

import dev.grove.actions.spi.ActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/** {@code Deploy/exec}: local deploy, status and cleanup commands. */
public final class ExecDeployType implements ActionType {

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

  @Override
  public ActionKind kind() {
    return ActionKind.DEPLOY;
  }

  @Override
  public String type() {
    return "exec";
  }

  @Override
  public Schema.Obj specSchema() {
    return SPEC;
  }

  @Override
  public Set<String> runtimeOutputs() {
    return Set.of("log", "stdout", "stderr");
  }
}
