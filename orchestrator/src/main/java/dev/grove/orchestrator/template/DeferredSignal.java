package dev.grove.orchestrator.template;

/** Unwinds an evaluation that touched a deferred value, so the string is kept as written. */
final class DeferredSignal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final DeferredSignal INSTANCE = new DeferredSignal();

  private DeferredSignal() {
    super("deferred", null, false, false);
  }
}
