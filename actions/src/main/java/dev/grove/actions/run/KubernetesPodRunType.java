package dev.grove.actions.run;

import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.Set;

/**
 * {@code Run/kubernetes-pod} and {@code Test/kubernetes-pod}: parsed and graphed (kubernetes
 * Modules' tasks and tests convert to them, as in Garden); not run by Grove yet.
 */
public final class KubernetesPodRunType extends BaseActionType {

  private static final Schema.Obj SPEC =
      Schema.obj()
          .any(
              "resource",
              "podSpec",
              "manifests",
              "files",
              "kustomize",
              "patchResources",
              "command",
              "args",
              "env",
              "artifacts",
              "cacheResult",
              "namespace")
          .build();

  public KubernetesPodRunType(ActionKind kind) {
    super(kind, "kubernetes-pod", SPEC, Set.of("log"));
  }
}
