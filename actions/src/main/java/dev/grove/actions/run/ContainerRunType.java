package dev.grove.actions.run;

import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/** {@code Run/container} and {@code Test/container}: parsed and graphed; not run by Grove yet. */
public final class ContainerRunType extends BaseActionType {

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

  public ContainerRunType(ActionKind kind) {
    super(kind, "container", SPEC, Set.of("log"));
  }
}
