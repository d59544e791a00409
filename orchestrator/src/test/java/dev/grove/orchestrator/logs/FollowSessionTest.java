package dev.grove.orchestrator.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.spi.DeployLogs;
import dev.grove.actions.spi.LogReaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** One client's follow, over one pod that is there from the start (as an exec process is). */
class FollowSessionTest {
  private final LogHubTest.FakeReaders readers = new LogHubTest.FakeReaders();
  private final LogHub hub =
      new LogHub(readers, Runnable::run, (Duration delay, Runnable task) -> {});
  private final LogsService.Target target =
      new LogsService.Target(
          "deploy.api", LogHubTest.WEB.cluster(), new OnePod(), LogHubTest.WEB.namespace());

  /** {@link LogHubTest#WEB}'s pod, there before any session began. */
  private static final class OnePod implements DeployLogs.Pods {
    private final DeployLogs.Pod pod =
        new DeployLogs.Pod(
            LogHubTest.WEB.pod(),
            null,
            List.of(new DeployLogs.Container(LogHubTest.WEB.container(), "1", true, null, false)));

    @Override
    public String cluster() {
      return LogHubTest.WEB.cluster();
    }

    @Override
    public String context() {
      return "ctx";
    }

    @Override
    public String namespace() {
      return LogHubTest.WEB.namespace();
    }

    @Override
    public String deployedVersion() {
      return "v";
    }

    @Override
    public List<String> workloads() {
      return List.of("Deployment/web");
    }

    @Override
    public List<DeployLogs.Pod> list() {
      return List.of(pod);
    }

    @Override
    public DeployLogs.Log read(
        String pod, String container, Long sinceSeconds, Integer tail, int limitBytes) {
      return new DeployLogs.Log(List.of(), false);
    }

    @Override
    public DeployLogs.Watch watch(Consumer<DeployLogs.Pod> changed, Consumer<String> gone) {
      changed.accept(pod);
      return () -> {};
    }

    @Override
    public LogReaders readers() {
      throw new UnsupportedOperationException("the session reads through its hub");
    }
  }

  private List<String> texts(LogQueue queue) {
    return queue.poll(100).stream().map(item -> ((LogItem.Line) item).text()).toList();
  }

  @Test
  void tailHoldsForTheFirstClientOfAContainer() throws Exception {
    for (int i = 0; i < 10; i++) {
      readers.logged(i, "line " + i);
    }
    LogQueue first = new LogQueue(() -> {});
    try (FollowSession session = new FollowSession(hub, first, Instant.now(), null, 1)) {
      session.watch(target);
      readers.last().line(10, "line 10");

      assertThat(texts(first)).containsExactly("line 9", "line 10");

      LogQueue second = new LogQueue(() -> {});
      try (FollowSession later = new FollowSession(hub, second, Instant.now(), null, 2)) {
        later.watch(target);
        assertThat(texts(second)).containsExactly("line 9", "line 10");
      }
    }
  }

  @Test
  void theApiRefusingALogIsToldAsANote() throws Exception {
    LogQueue queue = new LogQueue(() -> {});
    try (FollowSession session = new FollowSession(hub, queue, Instant.now(), null, null)) {
      session.watch(target);
      readers.last().sink().end(new LogReaders.Refused("cannot read the log: forbidden"));

      assertThat(queue.poll(10))
          .singleElement()
          .isInstanceOfSatisfying(
              LogItem.Note.class,
              note -> assertThat(note.message()).contains("deploy.api", "forbidden"));
    }
  }
}
