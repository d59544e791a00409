package dev.grove.orchestrator.template;

/** A problem found while evaluating one template; the resolver adds the expression and path. */
final class EvalError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String suggestion;

  EvalError(String message, String suggestion) {
    super(message, null, false, false);
    this.suggestion = suggestion;
  }

  String suggestion() {
    return suggestion;
  }
}
