package dev.grove.orchestrator.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.spi.LogReaders;
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
      new LogsService.Target("deploy.api", "exec", null, "root#deploy.api");

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
}
