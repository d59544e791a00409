package dev.grove.orchestrator.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One client's follow, over sources without pods to watch (a persistent exec Deploy's). */
class FollowSessionTest {
  private final LogHubTest.FakeReaders readers = new LogHubTest.FakeReaders();
  private final LogHub hub =
      new LogHub(readers, Runnable::run, (Duration delay, Runnable task) -> {});
  private final LogsService.Target target =
      new LogsService.Target("deploy.api", "exec", null, null, "root#deploy.api", List.of());

  private List<String> texts(LogQueue queue) {
    return queue.poll(100).stream().map(item -> ((LogItem.Line) item).text()).toList();
  }

  @Test
  void tailHoldsForTheFirstClientOfAContainer() {
    for (int i = 0; i < 10; i++) {
      readers.logged(i, "line " + i);
    }
    LogQueue first = new LogQueue(() -> {});
    try (FollowSession session = new FollowSession(hub, first, Instant.now(), null, 1)) {
      session.follow(target, "api", LogHubTest.WEB);
      readers.last().line(10, "line 10");

      assertThat(texts(first)).containsExactly("line 9", "line 10");

      LogQueue second = new LogQueue(() -> {});
      try (FollowSession later = new FollowSession(hub, second, Instant.now(), null, 2)) {
        later.follow(target, "api", LogHubTest.WEB);
        assertThat(texts(second)).containsExactly("line 9", "line 10");
      }
    }
  }

  @Test
  void theApiRefusingALogIsToldAsANote() {
    LogQueue queue = new LogQueue(() -> {});
    try (FollowSession session = new FollowSession(hub, queue, Instant.now(), null, null)) {
      session.follow(target, "api", LogHubTest.WEB);
      readers.last().sink().end(new LogReaders.Refused("cannot read the log: forbidden"));

      assertThat(queue.poll(10))
          .singleElement()
          .isInstanceOfSatisfying(
              LogItem.Note.class,
              note -> assertThat(note.message()).contains("deploy.api", "forbidden"));
    }
  }

  @Test
  void aTerminatedContainerIsFinishedForGoodOnlyWhenItsPodWillNotRestartIt() {
    ContainerStatus exited0 =
        new ContainerStatusBuilder()
            .withName("job")
            .withNewState()
            .withNewTerminated()
            .withExitCode(0)
            .endTerminated()
            .endState()
            .build();
    ContainerStatus exited1 =
        new ContainerStatusBuilder(exited0)
            .editState()
            .editTerminated()
            .withExitCode(1)
            .endTerminated()
            .endState()
            .build();

    assertThat(FollowSession.finishedForGood(pod("Never"), exited1)).isTrue();
    assertThat(FollowSession.finishedForGood(pod("OnFailure"), exited0)).isTrue();
    assertThat(FollowSession.finishedForGood(pod("OnFailure"), exited1)).isFalse();
    assertThat(FollowSession.finishedForGood(pod("Always"), exited0)).isFalse();
  }

  private static Pod pod(String restartPolicy) {
    return new PodBuilder().withNewSpec().withRestartPolicy(restartPolicy).endSpec().build();
  }
}
