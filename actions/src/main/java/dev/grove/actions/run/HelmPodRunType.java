package dev.grove.actions.run;

import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/**
 * {@code Run/helm-pod} and {@code Test/helm-pod}: parsed and graphed (helm Modules' tasks and tests
 * convert to them, as in Garden); not run by Grove yet.
 */
public final class HelmPodRunType extends BaseActionType {

  private static final Schema.Obj SPEC =
      Schema.obj()
          .any(
              "resource",
              "podSpec",
              "chart",
              "values",
              "valueFiles",
              "releaseName",
              "command",
              "args",
              "env",
              "artifacts",
              "cacheResult",
              "namespace",
              "timeout")
          .build();

  public HelmPodRunType(ActionKind kind) {
    super(kind, "helm-pod", SPEC, Set.of("log"));
  }
}
