package dev.grove.orchestrator.config;

import dev.grove.api.value.ValueTrees;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Configs Grove accepts but Garden 0.13 rejects: a warning each, citing Garden's rule, so a project
 * that passes here is not surprised by Garden (and can be fixed to load in both).
 */
final class GardenRules {
  static final String GARDEN_REJECTS = ConfigCodes.GARDEN_REJECTS;
  private static final List<String> ACTION_API_VERSIONS = List.of("garden.io/v1", "garden.io/v2");

  private GardenRules() {}

  /** Action kinds need {@code apiVersion: garden.io/v1} on the Project in Garden 0.13. */
  static void apiVersion(
      ConfigDocument projectDoc, Collection<ActionConfig> actions, Diagnostics diagnostics) {
    Object apiVersion = projectDoc.content().get("apiVersion");
    if (actions.isEmpty() || apiVersion != null && ACTION_API_VERSIONS.contains(apiVersion)) {
      return;
    }
    diagnostics.warning(
        projectDoc,
        apiVersion == null ? "" : "apiVersion",
        GARDEN_REJECTS,
        "Garden rejects this project: \"Action kinds are only supported in project"
            + " configurations with `apiVersion: garden.io/v1`\" ("
            + (apiVersion == null ? "it has no `apiVersion`" : "it has `" + apiVersion + "`")
            + "). Grove loads it.",
        "Add `apiVersion: garden.io/v1` to the Project so Garden loads it too.");
  }

  /** An exec action's {@code spec.env} values must be strings in Garden ("Expected string"). */
  static void execEnv(ActionConfig action, Map<String, Object> spec, Diagnostics diagnostics) {
    if (!action.type().equals("exec") || !(spec.get("env") instanceof Map<?, ?> env)) {
      return;
    }
    env.forEach(
        (key, value) -> {
          if (value != null && !(value instanceof String)) {
            diagnostics.warning(
                action.document(),
                "spec.env." + key,
                GARDEN_REJECTS,
                "Garden rejects `spec.env."
                    + key
                    + "` of "
                    + action.ref()
                    + ": exec env values must be strings (\"Expected string, received "
                    + ValueTrees.typeName(value).replaceFirst("^an? ", "")
                    + "\"). Grove passes `"
                    + value
                    + "`.",
                "Quote it (`" + key + ": \"" + value + "\"`) so Garden accepts it too.");
          }
        });
  }
}
