package dev.grove.actions.run;

import dev.grove.actions.spi.ActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/** {@code Run/exec} and {@code Test/exec}: parsed and graphed; not run by Grove yet. */
public final class ExecRunType implements ActionType {

  private static final Schema.Obj SPEC =
      Schema.obj().any("command", "shell", "env", "artifacts", "statusCommand").build();

  private final ActionKind kind;

  public ExecRunType(ActionKind kind) {
    this.kind = kind;
  }

  @Override
  public ActionKind kind() {
    return kind;
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
