package dev.grove.orchestrator.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.spi.LogReaders;
import dev.grove.actions.spi.LogSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogHubTest {
  static final LogSource WEB = new LogSource("kc#ctx", "shop", "web-1", "web");
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  /** Reads the test drives by hand: each open is counted and hands its sink to the test. */
  static class FakeReaders implements LogReaders {
    final List<Open> opens = new ArrayList<>();
    final List<Stamped> backlog = new ArrayList<>();
    int backlogs;

    record Open(LogSource source, Instant since, Sink sink, boolean[] closed) {
      void line(int second, String text) {
        sink.line(T0.plusSeconds(second), text);
      }
    }

    /** Lines the container logged before its first read, stamped T0 + {@code second}. */
    void logged(int second, String text) {
      backlog.add(new Stamped(T0.plusSeconds(second), text));
    }

    @Override
    public synchronized List<Stamped> backlog(LogSource source, int lines) {
      backlogs++;
      return List.copyOf(backlog.subList(Math.max(0, backlog.size() - lines), backlog.size()));
    }

    @Override
    public synchronized Reader open(LogSource source, Instant since, Sink sink) {
      Open open = new Open(source, since, sink, new boolean[1]);
      opens.add(open);
      return () -> open.closed()[0] = true;
    }

    Open last() {
      return opens.get(opens.size() - 1);
    }
  }

  /** The back-off's tasks, run when the test says. */
  private static final class ManualScheduler implements LogHub.Scheduler {
    final List<Duration> delays = new ArrayList<>();
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public void schedule(Duration delay, Runnable task) {
      delays.add(delay);
      tasks.add(task);
    }

    void runAll() {
      List<Runnable> due = List.copyOf(tasks);
      tasks.clear();
      due.forEach(Runnable::run);
    }
  }

  /** Collects what a subscriber gets. */
  private static class Collector implements LogHub.Subscriber {
    final List<String> history = new ArrayList<>();
    final List<String> lines = new ArrayList<>();

    @Override
    public void history(List<LogEntry> entries) {
      entries.forEach(e -> history.add(e.text()));
    }

    @Override
    public void line(LogEntry line) {
      lines.add(line.text());
    }
  }

  /** A client: its bounded queue, as the websocket route uses it. */
  private static LogHub.Subscriber into(LogQueue queue) {
    return new LogHub.Subscriber() {
      @Override
      public void history(List<LogEntry> lines) {
        lines.forEach(this::line);
      }

      @Override
      public void line(LogEntry line) {
        queue.offer(new LogItem.Line(line.time(), "deploy.web", "web-1", "web", line.text()));
      }
    };
  }

  private final FakeReaders readers = new FakeReaders();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final LogHub hub = new LogHub(readers, Runnable::run, scheduler);

  @Test
  void twoSubscribersOfAContainerShareOneReadAndGetTheSameLines() {
    Collector first = new Collector();
    Collector second = new Collector();
    hub.subscribe(WEB, first);
    hub.subscribe(WEB, second);
    readers.last().line(1, "listening on :3000");
    readers.last().line(2, "GET /");

    assertThat(readers.opens).hasSize(1);
    assertThat(first.lines).containsExactly("listening on :3000", "GET /");
    assertThat(second.lines).isEqualTo(first.lines);
  }

  @Test
  void eachContainerHasItsOwnRead() {
    hub.subscribe(WEB, new Collector());
    hub.subscribe(new LogSource("kc#ctx", "shop", "web-1", "sidecar"), new Collector());
    hub.subscribe(new LogSource("kc#ctx", "shop", "web-2", "web"), new Collector());
    hub.subscribe(WEB, new Collector());

    assertThat(readers.opens).hasSize(3);
    assertThat(hub.sources()).isEqualTo(3);
  }

  @Test
  void aLateSubscriberStartsWithWhatTheOthersSaw() {
    Collector first = new Collector();
    hub.subscribe(WEB, first);
    readers.last().line(1, "one");
    readers.last().line(2, "two");
    Collector late = new Collector();
    hub.subscribe(WEB, late);
    readers.last().line(3, "three");

    assertThat(readers.opens).hasSize(1);
    assertThat(late.history).containsExactly("one", "two");
    assertThat(late.lines).containsExactly("three");
  }

  @Test
  void theLastSubscriberLeavingClosesTheRead() {
    LogHub.Subscription first = hub.subscribe(WEB, new Collector());
    LogHub.Subscription second = hub.subscribe(WEB, new Collector());
    FakeReaders.Open read = readers.last();

    first.close();
    assertThat(read.closed()[0]).isFalse();
    second.close();
    second.close();
    assertThat(read.closed()[0]).isTrue();
    assertThat(hub.sources()).isZero();

    hub.subscribe(WEB, new Collector());
    assertThat(readers.opens).as("a new subscriber opens a new read").hasSize(2);
  }

  @Test
  void aSlowSubscriberGetsAGapWhileTheFastOneGetsEverything() {
    List<LogItem> fast = new ArrayList<>();
    LogQueue[] fastQueue = new LogQueue[1];
    fastQueue[0] = new LogQueue(10, () -> fast.addAll(fastQueue[0].poll(100)));
    LogQueue slow = new LogQueue(10, () -> {});
    hub.subscribe(WEB, into(fastQueue[0]));
    hub.subscribe(WEB, into(slow));

    for (int i = 0; i < 100; i++) {
      readers.last().line(i, "line " + i);
    }

    assertThat(fast).hasSize(100).allMatch(LogItem.Line.class::isInstance);
    List<LogItem> got = slow.poll(1_000);
    assertThat(got).hasSize(11);
    assertThat(got.subList(0, 10)).allMatch(LogItem.Line.class::isInstance);
    assertThat(got.get(10)).isEqualTo(new LogItem.Gap(90));
    readers.last().line(100, "line 100");
    assertThat(slow.poll(10))
        .singleElement()
        .extracting(item -> ((LogItem.Line) item).text())
        .isEqualTo("line 100");
  }

  @Test
  void aReadOpenedAgainSkipsTheLinesAlreadySent() {
    Collector collector = new Collector();
    hub.subscribe(WEB, collector);
    FakeReaders.Open first = readers.last();
    assertThat(first.since()).as("a first read starts from the tail").isNull();
    first.line(1, "one");
    first.line(2, "two");
    first.line(2, "two again, same time");
    first.sink().end(null); // the container exited

    scheduler.runAll();
    FakeReaders.Open again = readers.last();
    assertThat(readers.opens).hasSize(2);
    assertThat(again.since()).isEqualTo(T0.plusSeconds(2));
    again.line(1, "one");
    again.line(2, "two");
    again.line(2, "two again, same time");
    again.line(2, "new at that same time");
    again.line(3, "three");

    assertThat(collector.lines)
        .containsExactly("one", "two", "two again, same time", "new at that same time", "three");
  }

  @Test
  void aRestartedContainerIsReadAgainAtOnceAndStaleReadsAreIgnored() {
    Collector collector = new Collector();
    hub.subscribe(WEB, collector);
    FakeReaders.Open first = readers.last();
    first.line(1, "one");
    first.sink().end(null);
    hub.restarted(WEB);

    assertThat(readers.opens).hasSize(2);
    first.line(5, "from the old read");
    readers.last().line(6, "from the new container");
    assertThat(collector.lines).containsExactly("one", "from the new container");
  }

  @Test
  void failingReadsAreRetriedLessAndLessOften() {
    LogReaders failing =
        new FakeReaders() {
          @Override
          public synchronized Reader open(LogSource source, Instant since, Sink sink) {
            throw new IllegalStateException("container web is waiting to start");
          }
        };
    LogHub hub = new LogHub(failing, Runnable::run, scheduler);
    hub.subscribe(WEB, new Collector());
    for (int i = 0; i < 7; i++) {
      scheduler.runAll();
    }

    assertThat(scheduler.delays.stream().map(Duration::toSeconds))
        .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
  }

  @Test
  void theFirstSubscriberGetsTheBacklogAsHistoryAndTheReadContinuesAfterIt() {
    readers.logged(1, "one");
    readers.logged(2, "two");
    Collector first = new Collector();
    hub.subscribe(WEB, first);
    FakeReaders.Open read = readers.last();
    assertThat(read.since())
        .as("the read starts at the backlog's last line")
        .isEqualTo(T0.plusSeconds(2));
    read.line(2, "two"); // the API repeats the line at that time
    read.line(3, "three");
    Collector second = new Collector();
    hub.subscribe(WEB, second);

    assertThat(first.history).containsExactly("one", "two");
    assertThat(first.lines).containsExactly("three");
    assertThat(second.history).containsExactly("one", "two", "three");
    assertThat(readers.backlogs).isOne();
  }

  @Test
  void identicalLinesAtOneTimeAreAllDelivered() {
    Collector collector = new Collector();
    hub.subscribe(WEB, collector);
    readers.last().line(1, "tick");
    readers.last().line(1, "tick");
    readers.last().line(1, "tick");

    assertThat(collector.lines).containsExactly("tick", "tick", "tick");
  }

  @Test
  void aReadOpenedAgainSkipsEachRepeatAtTheLastTimeAsOftenAsItWasRead() {
    Collector collector = new Collector();
    hub.subscribe(WEB, collector);
    readers.last().line(1, "tick");
    readers.last().line(1, "tick");
    readers.last().sink().end(null);

    scheduler.runAll();
    readers.last().line(1, "tick");
    readers.last().line(1, "tick");
    readers.last().line(1, "tick"); // a third one the first read did not get to
    readers.last().line(2, "tick");
    readers.last().line(2, "tick");

    assertThat(collector.lines).containsExactly("tick", "tick", "tick", "tick", "tick");
  }

  @Test
  void aRefusalIsToldOnceAndDoesNotMoveTheReadOn() {
    List<String> told = new ArrayList<>();
    hub.subscribe(
        WEB,
        new Collector() {
          @Override
          public void refused(String message) {
            told.add(message);
          }
        });
    readers.last().line(1, "one");
    LogReaders.Refused refused = new LogReaders.Refused("pod web-1 container web: forbidden");
    readers.last().sink().end(refused);
    scheduler.runAll();
    readers.last().sink().end(refused);
    scheduler.runAll();

    assertThat(told).containsExactly("pod web-1 container web: forbidden");
    assertThat(readers.last().since()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void aContainerThatFinishedForGoodIsNotReadAgainUntilItRestarts() {
    Collector collector = new Collector();
    hub.subscribe(WEB, collector);
    readers.last().line(1, "done");
    hub.finished(WEB);
    readers.last().sink().end(null);

    assertThat(scheduler.tasks).as("no retry").isEmpty();
    hub.restarted(source -> source.equals(WEB));
    assertThat(readers.opens).hasSize(2);
    readers.last().sink().end(null);
    assertThat(scheduler.tasks).as("restarted: retried again").hasSize(1);
  }
}
