package dev.grove.orchestrator.workflow;

import java.util.List;
import java.util.Set;

/**
 * Which steps run after a failure, as Garden 0.13's {@code shouldBeDropped}: {@code always} runs,
 * {@code never} does not; {@code onError} runs after a failure of a step that is not itself {@code
 * onError}, as long as no ordinary step came between; any other step is dropped once a step failed.
 * Garden 0.13.24 counts the failed step's position among the failed steps only (an index bug that
 * can drop an {@code onError} step its docs say runs); Grove uses the step's own position.
 */
final class StepRules {
  static final String ON_SUCCESS = "onSuccess";
  static final String ON_ERROR = "onError";
  static final String ALWAYS = "always";
  static final String NEVER = "never";

  private StepRules() {}

  /**
   * @param whens each step's resolved {@code when}
   * @param failed the indices of the steps that failed so far (their failure counts)
   */
  static boolean dropped(int index, List<String> whens, Set<Integer> failed) {
    String when = whens.get(index);
    if (when.equals(ALWAYS)) {
      return false;
    }
    if (when.equals(NEVER)) {
      return true;
    }
    int lastError = -1;
    for (int i = 0; i < index; i++) {
      if (failed.contains(i) && !whens.get(i).equals(ON_ERROR)) {
        lastError = i;
      }
    }
    if (!when.equals(ON_ERROR)) {
      return lastError >= 0;
    }
    if (lastError < 0) {
      return true; // nothing failed: no error to handle
    }
    // An onError sequence handles the error before it; an ordinary step between two onError
    // steps ends the sequence, and a later onError step belongs to no error.
    for (int previous = lastError + 1; previous < index; previous++) {
      if (!whens.get(previous).equals(ON_ERROR)) {
        continue;
      }
      for (int between = previous + 1; between < index; between++) {
        String w = whens.get(between);
        if (!w.equals(NEVER) && !w.equals(ON_ERROR)) {
          return true;
        }
      }
    }
    return false;
  }
}
