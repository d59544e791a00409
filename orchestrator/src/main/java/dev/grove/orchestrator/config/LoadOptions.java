package dev.grove.orchestrator.config;

import dev.grove.api.value.ValueTrees;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a project is resolved: the environment ({@code null} for the default; {@code ns.env} also
 * sets the namespace), {@code --var} overrides, and the invoking shell's environment.
 */
public record LoadOptions(String environment, Map<String, String> vars, Map<String, String> env) {
  public LoadOptions {
    vars = vars == null ? Map.of() : Map.copyOf(vars);
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  /** The {@code --var} overrides as a variables tree: {@code a.b=c} sets {@code {a: {b: c}}}. */
  Map<String, Object> varTree() {
    Map<String, Object> tree = new LinkedHashMap<>();
    vars.forEach((k, v) -> ValueTrees.setPath(tree, k, v));
    return tree;
  }
}
