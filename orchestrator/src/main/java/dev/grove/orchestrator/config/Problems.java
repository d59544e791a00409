package dev.grove.orchestrator.config;

import dev.grove.api.error.Location;
import dev.grove.api.error.Problem;
import dev.grove.orchestrator.error.Suggestions;
import java.util.List;
import java.util.Optional;

/** Builds problems and did-you-mean suggestions. */
public final class Problems {
  private Problems() {}

  public static Problem at(
      String code,
      String message,
      String suggestion,
      String file,
      int line,
      int column,
      String path) {
    return new Problem(code, message, suggestion, new Location(file, line, column, path));
  }

  /** A problem at a property of a document. */
  public static Problem at(
      ConfigDocument document, String path, String code, String message, String suggestion) {
    int[] position = document.locations().find(path == null ? "" : path);
    return at(
        code,
        message,
        suggestion,
        document.displayFile(),
        position[0],
        position[1],
        path == null || path.isEmpty() ? null : path);
  }

  /** The closest candidate, if it is close enough to be a likely typo. */
  public static Optional<String> closest(String input, List<String> candidates) {
    return Suggestions.closest(input, candidates);
  }

  /** "Did you mean X?" or the list of valid values. */
  public static String didYouMean(String input, List<String> candidates, String what) {
    return closest(input, candidates)
        .map(match -> "Did you mean `" + match + "`?")
        .orElse("Valid " + what + ": " + String.join(", ", candidates) + ".");
  }
}
