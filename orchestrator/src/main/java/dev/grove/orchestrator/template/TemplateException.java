package dev.grove.orchestrator.template;

import java.util.List;

/** A template string that cannot be parsed or resolved, with where it is and what would fix it. */
public final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String expression;
  private final transient List<Object> path;
  private final String suggestion;

  /** How much of the offending expression a message quotes. */
  static final int QUOTED_EXPRESSION = 200;

  /** How long a message may be: one quoting a hostile value must not be megabytes. */
  static final int MESSAGE = 1_000;

  TemplateException(String message, String expression, List<Object> path, String suggestion) {
    super(clip(message, MESSAGE));
    this.expression = expression == null ? null : clip(expression, QUOTED_EXPRESSION);
    this.path = List.copyOf(path);
    this.suggestion = suggestion == null ? "" : suggestion;
  }

  /** The first {@code max} characters, and how long it was when that is not all of it. */
  static String clip(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + "… (" + text.length() + " characters)";
  }

  /** The offending template string as written (its first 200 characters). */
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
