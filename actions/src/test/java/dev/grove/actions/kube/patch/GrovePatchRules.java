package dev.grove.actions.kube.patch;

import dev.grove.sandbox.apiserver.PatchRules;

/** The simulated API server's patch semantics: Grove's own, as the sandbox tool gives them too. */
public final class GrovePatchRules {

  public static final PatchRules RULES =
      new PatchRules(
          StrategicMergePatch::supports,
          StrategicMergePatch::apply,
          JsonMergePatch::apply,
          MergeKeys::of);

  private GrovePatchRules() {}
}
