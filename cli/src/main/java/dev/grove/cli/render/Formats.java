package dev.grove.cli.render;

import dev.grove.api.action.ActionSummary;
import dev.grove.api.project.ProjectSummary;
import dev.grove.cli.client.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a project summary into text, DOT, Mermaid or contract JSON; pure functions. */
public final class Formats {
  private Formats() {}

  /**
   * The JSON contract of {@code validate} and {@code graph}: exactly {@code project, environment,
   * actions}; warnings are not part of it (they go to stderr).
   */
  public static String summaryJson(ProjectSummary summary) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("project", summary.project());
    document.put("environment", summary.environment());
    document.put("actions", summary.actions());
    return json(document);
  }

  public static String json(Object value) {
    return Json.write(value);
  }

  /** One line per action: {@code deploy.api (container) <- build.api, deploy.db}. */
  public static String graphText(ProjectSummary summary) {
    StringBuilder out = new StringBuilder();
    for (ActionSummary action : summary.actions()) {
      out.append(action.ref()).append(" (").append(action.type()).append(')');
      if (!action.dependencies().isEmpty()) {
        out.append(" <- ").append(String.join(", ", action.dependencies()));
      }
      if (action.disabled()) {
        out.append(" [disabled]");
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** A DOT digraph; an edge points from an action to what it depends on. */
  public static String dot(ProjectSummary summary) {
    StringBuilder out =
        new StringBuilder("digraph ").append(dotId(summary.project())).append(" {\n");
    out.append("  rankdir=LR;\n");
    for (ActionSummary action : summary.actions()) {
      out.append("  ")
          .append(dotId(action.ref()))
          .append(" [label=")
          .append(dotId(action.ref() + "\n" + action.type()))
          .append(action.disabled() ? ", style=dashed" : "")
          .append("];\n");
    }
    for (ActionSummary action : summary.actions()) {
      for (String dependency : action.dependencies()) {
        out.append("  ")
            .append(dotId(action.ref()))
            .append(" -> ")
            .append(dotId(dependency))
            .append(";\n");
      }
    }
    return out.append("}\n").toString();
  }

  /** A Mermaid {@code graph TD}; node ids are generated, labels carry the refs. */
  public static String mermaid(ProjectSummary summary) {
    Map<String, String> ids = new LinkedHashMap<>();
    for (ActionSummary action : summary.actions()) {
      ids.put(action.ref(), "n" + ids.size());
    }
    for (ActionSummary action : summary.actions()) {
      for (String dependency : action.dependencies()) {
        ids.putIfAbsent(dependency, "n" + ids.size());
      }
    }
    StringBuilder out = new StringBuilder("graph TD\n");
    boolean anyDisabled = false;
    for (Map.Entry<String, String> node : ids.entrySet()) {
      out.append("  ")
          .append(node.getValue())
          .append("[\"")
          .append(mermaidText(node.getKey()))
          .append("\"]\n");
    }
    for (ActionSummary action : summary.actions()) {
      for (String dependency : action.dependencies()) {
        out.append("  ")
            .append(ids.get(action.ref()))
            .append(" --> ")
            .append(ids.get(dependency))
            .append('\n');
      }
      if (action.disabled()) {
        anyDisabled = true;
        out.append("  class ").append(ids.get(action.ref())).append(" disabled\n");
      }
    }
    if (anyDisabled) {
      out.append("  classDef disabled stroke-dasharray: 5 5\n");
    }
    return out.toString();
  }

  private static String dotId(String text) {
    String value = text == null ? "" : text;
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  private static String mermaidText(String text) {
    return text.replace("\"", "#quot;");
  }
}
