package dev.grove.orchestrator.template;

/** Special values a template context may hold besides plain maps, lists and scalars. */
public final class TemplateValues {
  private TemplateValues() {}

  /**
   * A context root (or key) that exists but may not be referenced at this config location, e.g.
   * {@code actions} in project fields. Referencing it is an error whose message is {@code reason}.
   */
  public record Unavailable(String reason) {}

  /**
   * A value only known after an action ran (a runtime output). A string whose evaluation touches it
   * is left exactly as written: not resolved, and no error.
   */
  public static final Object DEFERRED =
      new Object() {
        @Override
        public String toString() {
          return "<deferred>";
        }
      };
}
