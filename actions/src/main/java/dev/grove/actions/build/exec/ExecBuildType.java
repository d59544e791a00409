package dev.grove.actions.build.exec;

import dev.grove.actions.spi.ActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/** {@code Build/exec}: a local command. */
public final class ExecBuildType implements ActionType {

  private static final Schema.Obj SPEC =
      Schema.obj().any("command", "shell", "env", "statusCommand").build();

  @Override
  public ActionKind kind() {
    return ActionKind.BUILD;
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
