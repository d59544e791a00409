package dev.grove.actions.run;

import dev.grove.actions.spi.ActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/** {@code Run/container} and {@code Test/container}: parsed and graphed; not run by Grove yet. */
public final class ContainerRunType implements ActionType {

  private static final Schema.Obj SPEC =
      Schema.obj()
          .any(
              "image",
              "command",
              "args",
              "env",
              "artifacts",
              "cpu",
              "memory",
              "volumes",
              "privileged",
              "addCapabilities",
              "dropCapabilities",
              "cacheResult",
              "namespace")
          .build();

  private final ActionKind kind;

  public ContainerRunType(ActionKind kind) {
    this.kind = kind;
  }

  @Override
  public ActionKind kind() {
    return kind;
  }

  @Override
  public String type() {
    return "container";
  }

  @Override
  public Schema.Obj specSchema() {
    return SPEC;
  }

  @Override
  public Set<String> runtimeOutputs() {
    return Set.of("log");
  }
}
