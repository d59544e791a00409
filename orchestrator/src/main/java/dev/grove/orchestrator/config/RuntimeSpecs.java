package dev.grove.orchestrator.config;

import dev.grove.api.action.ActionRef;
import dev.grove.api.value.ValueTrees;
import dev.grove.orchestrator.template.TemplateResolver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves an action's spec again once its dependencies ran, so references to their runtime outputs
 * ({@code ${actions.build.api.outputs.log}}) get their values. Specs that reference no runtime
 * output keep their load-time resolution.
 */
public final class RuntimeSpecs {
  private RuntimeSpecs() {}

  /**
   * The spec with runtime outputs filled in.
   *
   * @param outputs the runtime outputs of the dependencies that ran in this run
   */
  public static Map<String, Object> resolve(
      TemplateResolver templates,
      LoadedProject project,
      LoadedProject.ResolvedAction action,
      Map<ActionRef, Map<String, Object>> outputs) {
    Map<String, Object> overlay = null;
    for (List<String> reference : templates.references(action.config().spec())) {
      if (reference.size() < 5
          || !reference.get(0).equals("actions")
          || !reference.get(3).equals("outputs")) {
        continue;
      }
      ActionRef ref = ActionRef.parse(reference.get(1) + "." + reference.get(2)).orElse(null);
      Map<String, Object> ran = ref == null ? null : outputs.get(ref);
      if (ran == null
          || !ran.containsKey(reference.get(4))
          || !project.actions().containsKey(ref)
          || !project
              .actions()
              .get(ref)
              .config()
              .handler()
              .runtimeOutputs()
              .contains(reference.get(4))) {
        continue;
      }
      if (overlay == null) {
        overlay = new LinkedHashMap<>(action.templateContext());
        overlay.put("actions", copyOf(overlay.get("actions")));
      }
      Map<String, Object> kinds = ValueTrees.map((Map<?, ?>) overlay.get("actions"));
      Map<String, Object> ofKind =
          new LinkedHashMap<>(ValueTrees.map((Map<?, ?>) kinds.get(reference.get(1))));
      kinds.put(reference.get(1), ofKind);
      Map<String, Object> entry =
          new LinkedHashMap<>(ValueTrees.map((Map<?, ?>) ofKind.get(ref.name())));
      Map<String, Object> merged =
          new LinkedHashMap<>(ValueTrees.map((Map<?, ?>) entry.get("outputs")));
      merged.putAll(ran);
      entry.put("outputs", merged);
      ofKind.put(ref.name(), entry);
    }
    if (overlay == null) {
      return action.spec();
    }
    Diagnostics diagnostics = new Diagnostics();
    Object spec =
        new Templating(templates)
            .resolveOrNull(
                action.config().document(),
                "spec",
                action.config().spec(),
                overlay,
                diagnostics,
                null);
    diagnostics.throwIfErrors();
    return spec instanceof Map<?, ?> map ? ValueTrees.map(map) : Map.of();
  }

  private static Map<String, Object> copyOf(Object map) {
    return new LinkedHashMap<>(ValueTrees.map((Map<?, ?>) map));
  }
}
