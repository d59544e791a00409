package dev.grove.orchestrator.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogPumpTest {
  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  /** A socket that takes {@code room} items, then is full until the test drains it. */
  private static final class SlowSocket implements LogPump.Outlet {
    final List<LogItem> written = new ArrayList<>();
    int room;

    @Override
    public boolean full() {
      return room <= 0;
    }

    @Override
    public void write(LogItem item) {
      written.add(item);
      room--;
    }
  }

  private static LogItem.Line line(int i) {
    return new LogItem.Line(T0.plusMillis(i), "deploy.web", "web-1", "web", "line " + i);
  }

  @Test
  void aFullSocketLeavesTheBacklogInTheQueueWhichTellsOfAGap() {
    LogQueue queue = new LogQueue(100, () -> {});
    LogPump pump = new LogPump(queue, new TimeMerger(Duration.ZERO), 10);
    SlowSocket socket = new SlowSocket();
    socket.room = 5;
    for (int i = 0; i < 50; i++) {
      queue.offer(line(i));
    }

    assertThat(pump.pump(socket, 0)).as("stopped by the full socket").isTrue();
    assertThat(socket.written).hasSize(5);
    assertThat(pump.merging()).isLessThanOrEqualTo(10);
    assertThat(queue.size()).isGreaterThanOrEqualTo(35);

    for (int i = 50; i < 200; i++) {
      queue.offer(line(i)); // the queue fills and drops
    }
    socket.room = 1_000;
    assertThat(pump.pump(socket, 0)).as("everything sent").isFalse();

    assertThat(socket.written).anyMatch(LogItem.Gap.class::isInstance);
    assertThat(socket.written.get(0)).isEqualTo(line(0));
    assertThat(socket.written.get(socket.written.size() - 1))
        .as("the gap is told as soon as the queue's items are through")
        .isInstanceOf(LogItem.Gap.class);
  }

  @Test
  void itemsWaitForTheirWindowAndTheMergerHoldsNoMoreThanItsBound() {
    LogQueue queue = new LogQueue(100, () -> {});
    LogPump pump = new LogPump(queue, new TimeMerger(Duration.ofMillis(250)), 10);
    SlowSocket socket = new SlowSocket();
    socket.room = 1_000;
    for (int i = 0; i < 30; i++) {
      queue.offer(line(i));
    }

    assertThat(pump.pump(socket, 0)).isFalse();
    assertThat(socket.written).isEmpty();
    assertThat(pump.merging()).isEqualTo(10);
    assertThat(queue.size()).isEqualTo(20);

    pump.pump(socket, Duration.ofMillis(250).toNanos());
    assertThat(socket.written).hasSize(10);
  }

  @Test
  void aReadsItemsAreSentAsTheSocketTakesThem() {
    List<LogItem> items = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      items.add(line(i));
    }
    var remaining = items.iterator();
    SlowSocket socket = new SlowSocket();
    socket.room = 4;

    assertThat(LogPump.send(remaining, socket)).isTrue();
    assertThat(socket.written).hasSize(4);
    socket.room = 100;
    assertThat(LogPump.send(remaining, socket)).isFalse();
    assertThat(socket.written).isEqualTo(items);
  }
}
