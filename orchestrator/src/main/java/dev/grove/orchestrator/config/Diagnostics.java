package dev.grove.orchestrator.config;

import dev.grove.api.error.Problem;
import dev.grove.orchestrator.error.ConfigException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The errors and warnings of one config load, in the order they are found: every phase adds to the
 * same collector, and the load stops with {@link #failure()} when errors make going on pointless.
 */
final class Diagnostics {
  private final List<Problem> errors = new ArrayList<>();
  private final List<Problem> warnings = new ArrayList<>();

  void error(Problem problem) {
    errors.add(problem);
  }

  void errors(Collection<Problem> problems) {
    errors.addAll(problems);
  }

  /** An error at a property of a document. */
  void error(ConfigDocument document, String path, String code, String message, String suggestion) {
    errors.add(Problems.at(document, path, code, message, suggestion));
  }

  void warning(Problem problem) {
    warnings.add(problem);
  }

  /** A warning at a property of a document. */
  void warning(
      ConfigDocument document, String path, String code, String message, String suggestion) {
    warnings.add(Problems.at(document, path, code, message, suggestion));
  }

  /** How many errors so far: a mark to ask {@link #errorsSince} about later. */
  int mark() {
    return errors.size();
  }

  boolean errorsSince(int mark) {
    return errors.size() > mark;
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** True when an error since the mark is one that {@code harmless} does not name. */
  boolean errorsSinceOtherThan(int mark, String harmless) {
    for (int i = mark; i < errors.size(); i++) {
      if (!harmless.equals(errors.get(i).code())) {
        return true;
      }
    }
    return false;
  }

  /** Throws {@link #failure()} when there are errors. */
  void throwIfErrors() {
    if (hasErrors()) {
      throw failure();
    }
  }

  /** Every error with the warnings found on the way (there must be an error). */
  ConfigException failure() {
    return new ConfigException(errors, warnings);
  }

  List<Problem> warnings() {
    return warnings;
  }
}
