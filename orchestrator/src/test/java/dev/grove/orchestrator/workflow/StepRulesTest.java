package dev.grove.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which steps run after a failure, as Garden's shouldBeDropped and its docs' examples. */
class StepRulesTest {

  private static List<Integer> run(List<String> whens, Set<Integer> failing) {
    Set<Integer> failed = new java.util.HashSet<>();
    List<Integer> ran = new ArrayList<>();
    for (int i = 0; i < whens.size(); i++) {
      if (!StepRules.dropped(i, whens, failed)) {
        ran.add(i);
        if (failing.contains(i)) {
          failed.add(i);
        }
      }
    }
    return ran;
  }

  @Test
  void nothingFailedRunsOrdinaryAndAlwaysStepsButNotOnErrorOrNever() {
    assertThat(run(List.of("onSuccess", "onError", "always", "never", "onSuccess"), Set.of()))
        .containsExactly(0, 2, 4);
  }

  @Test
  void anOnErrorSequenceHandlesTheFailureBeforeItAndAnOrdinaryStepEndsIt() {
    // Garden's own example: [a, b, e1, e2, c, e3]; a fails → e1 and e2 run, c and e3 do not.
    List<String> whens =
        List.of("onSuccess", "onSuccess", "onError", "onError", "onSuccess", "onError");
    assertThat(run(whens, Set.of(0))).containsExactly(0, 2, 3);
  }

  @Test
  void alwaysRunsAfterAFailureAndNeverDoesNot() {
    assertThat(run(List.of("onSuccess", "always", "never", "onSuccess"), Set.of(0)))
        .containsExactly(0, 1);
  }

  @Test
  void anOnErrorStepAfterAnEarlierUnusedOnErrorStepStillHandlesALaterFailure() {
    // [a, e0, b, e1]: b fails → e1 runs. Garden 0.13.24 drops e1 (it counts b's position among
    // the failed steps only); its docs say e1 runs, and so does Grove.
    assertThat(run(List.of("onSuccess", "onError", "onSuccess", "onError"), Set.of(2)))
        .containsExactly(0, 2, 3);
  }

  @Test
  void aFailingOnErrorStepDoesNotStartAnotherSequence() {
    List<String> whens = List.of("onSuccess", "onError", "onError", "onSuccess");
    assertThat(run(whens, Set.of(0, 1))).containsExactly(0, 1, 2);
    assertThat(IntStream.range(0, 4).filter(i -> StepRules.dropped(i, whens, Set.of())).boxed())
        .containsExactly(1, 2);
  }
}
