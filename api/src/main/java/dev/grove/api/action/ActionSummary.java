package dev.grove.api.action;

import java.util.List;

/**
 * One action as {@code validate} and {@code graph} report it. The JSON shape is a contract used by
 * other tools: keep the field names and order.
 */
public record ActionSummary(
    String ref,
    String kind,
    String type,
    String name,
    String version,
    List<String> dependencies,
    boolean disabled) {

  public ActionSummary {
    dependencies = List.copyOf(dependencies);
  }
}
