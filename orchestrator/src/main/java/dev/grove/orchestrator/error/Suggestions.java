package dev.grove.orchestrator.error;

import java.util.Collection;
import java.util.Optional;

/** Did-you-mean: the closest known name to a mistyped one. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The closest candidate within a small edit distance (a likely typo), else the only one that the
   * input abbreviates, if any.
   */
  public static Optional<String> closest(String wanted, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int limit = Math.max(2, wanted.length() / 3);
    for (String candidate : candidates) {
      int d = distance(wanted.toLowerCase(), candidate.toLowerCase());
      if (d < bestDistance && d <= limit) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (best == null && wanted.length() >= 3) {
      // An abbreviation (`prod` for `production`), when only one candidate starts with it.
      String lower = wanted.toLowerCase();
      java.util.List<String> starting =
          candidates.stream().filter(c -> c.toLowerCase().startsWith(lower)).toList();
      if (starting.size() == 1) {
        best = starting.get(0);
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance. */
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
