package dev.grove.orchestrator.config;

import dev.grove.api.error.Problem;
import dev.grove.orchestrator.template.Budget;
import dev.grove.orchestrator.template.TemplateException;
import dev.grove.orchestrator.template.TemplateResolver;
import java.util.Map;
import java.util.Optional;

/** Resolves template values of one document, turning template errors into located problems. */
final class Templating {

  private final TemplateResolver resolver;

  /** Shared by every resolution of one load (one Templating is made per load). */
  private final Budget budget = Budget.forLoad();

  Templating(TemplateResolver resolver) {
    this.resolver = resolver;
  }

  TemplateResolver resolver() {
    return resolver;
  }

  /** The load's budget, for resolutions that do not go through {@link #resolve}. */
  Budget budget() {
    return budget;
  }

  /**
   * Resolves the value at {@code path} of the document; on error adds a problem naming the file,
   * line, property and expression, and returns empty.
   */
  Optional<Object> resolve(
      ConfigDocument document,
      String path,
      Object value,
      Map<String, Object> context,
      Diagnostics diagnostics) {
    try {
      return Optional.ofNullable(resolver.resolveTree(value, context, budget))
          .or(() -> Optional.of(NULL));
    } catch (TemplateException e) {
      diagnostics.error(problem(document, path, e));
      return Optional.empty();
    }
  }

  /** A template error at {@code path} of the document, naming the property and expression. */
  static Problem problem(ConfigDocument document, String path, TemplateException e) {
    String where = SourceMap.pathOf(path, e.path());
    return Problems.at(
        document,
        where,
        ConfigCodes.TEMPLATE_ERROR,
        "Invalid template in `"
            + where
            + "`: "
            + e.getMessage()
            + (e.expression() == null ? "" : " (in \"" + e.expression() + "\")"),
        e.suggestion());
  }

  /** Like {@link #resolve} but maps the null marker back to null. */
  Object resolveOrNull(
      ConfigDocument document,
      String path,
      Object value,
      Map<String, Object> context,
      Diagnostics diagnostics,
      Object fallback) {
    Optional<Object> resolved = resolve(document, path, value, context, diagnostics);
    if (resolved.isEmpty()) {
      return fallback;
    }
    return resolved.get() == NULL ? null : resolved.get();
  }

  /** Stands for a resolved null inside an Optional. */
  static final Object NULL = new Object();
}
