package dev.grove.orchestrator.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeMergerTest {
  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  private static final long MS = 1_000_000;

  private static LogItem.Line line(String pod, long millis) {
    return new LogItem.Line(T0.plusMillis(millis), "deploy.web", pod, "web", pod + "@" + millis);
  }

  private static List<String> texts(List<LogItem> items) {
    return items.stream().map(item -> ((LogItem.Line) item).text()).toList();
  }

  @Test
  void linesOfSeveralPodsLeaveInTheirKubeletsTimeOrder() {
    TimeMerger merger = new TimeMerger(Duration.ofMillis(250));
    merger.add(line("a", 30), 0);
    merger.add(line("a", 40), 0);
    merger.add(line("b", 10), 100 * MS); // older, but its connection was slower
    merger.add(line("b", 35), 100 * MS);

    assertThat(merger.due(200 * MS)).as("still within the window").isEmpty();
    assertThat(texts(merger.due(400 * MS))).containsExactly("b@10", "a@30", "b@35", "a@40");
    assertThat(merger.held()).isZero();
  }

  @Test
  void aLineWaitsOnlyForItsWindowAndThenLeaves() {
    TimeMerger merger = new TimeMerger(Duration.ofMillis(250));
    merger.add(line("a", 10), 0);
    merger.add(line("a", 20), 200 * MS);

    assertThat(texts(merger.due(260 * MS))).containsExactly("a@10");
    assertThat(texts(merger.due(460 * MS))).containsExactly("a@20");
  }

  @Test
  void aLineLaterThanTheWindowIsSentOutOfPlaceRatherThanHeldForever() {
    TimeMerger merger = new TimeMerger(Duration.ofMillis(250));
    merger.add(line("a", 50), 0);
    assertThat(texts(merger.due(300 * MS))).containsExactly("a@50");
    merger.add(line("b", 10), 300 * MS);
    assertThat(texts(merger.due(600 * MS))).containsExactly("b@10");
  }

  @Test
  void pastItsBoundTheOldestLeaveAtOnce() {
    TimeMerger merger = new TimeMerger(Duration.ofSeconds(10), 2);
    merger.add(line("a", 3), 0);
    merger.add(line("a", 1), 0);
    merger.add(line("a", 2), 0);

    assertThat(texts(merger.due(0))).containsExactly("a@1");
    assertThat(texts(merger.drain())).containsExactly("a@2", "a@3");
  }
}
