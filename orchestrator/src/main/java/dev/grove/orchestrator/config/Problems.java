package dev.grove.orchestrator.config;

import dev.grove.api.error.Location;
import dev.grove.api.error.Problem;
import java.util.Comparator;
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

  /** The closest candidate by edit distance, if it is close enough to be a likely typo. */
  public static Optional<String> closest(String input, List<String> candidates) {
    return candidates.stream()
        .map(
            candidate ->
                new Object[] {candidate, distance(input.toLowerCase(), candidate.toLowerCase())})
        .filter(pair -> (int) pair[1] <= Math.max(2, input.length() / 3))
        .min(Comparator.comparingInt(pair -> (int) pair[1]))
        .map(pair -> (String) pair[0]);
  }

  /** "Did you mean X?" or the list of valid values. */
  public static String didYouMean(String input, List<String> candidates, String what) {
    return closest(input, candidates)
        .map(match -> "Did you mean `" + match + "`?")
        .orElse("Valid " + what + ": " + String.join(", ", candidates) + ".");
  }

  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
