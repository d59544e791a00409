package dev.grove.orchestrator.template;

import java.util.List;

/** A template string that cannot be parsed or resolved, with where it is and what would fix it. */
public final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String expression;
  private final transient List<Object> path;
  private final String suggestion;

  TemplateException(String message, String expression, List<Object> path, String suggestion) {
    super(message);
    this.expression = expression;
    this.path = List.copyOf(path);
    this.suggestion = suggestion == null ? "" : suggestion;
  }

  /** The offending template string as written. */
  public String expression() {
    return expression;
  }

  /** Where in the tree: map keys as String, list indices as Integer; empty from resolveString. */
  public List<Object> path() {
    return path;
  }

  /** What would fix it; never null. */
  public String suggestion() {
    return suggestion;
  }
}
