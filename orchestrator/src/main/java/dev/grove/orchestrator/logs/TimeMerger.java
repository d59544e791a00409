package dev.grove.orchestrator.logs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Interleaves the lines of several containers in the order their kubelets stamped them. Lines from
 * different pods arrive over different connections, a little late or early; each is held back for a
 * short window after it arrives, and what leaves is always the oldest held. Lines that arrive more
 * than the window late are still sent, just out of place. Not thread-safe: one client's pump owns
 * it.
 */
public final class TimeMerger {
  /** Held items beyond which the oldest leave at once, whatever the window. */
  static final int MAX_HELD = 20_000;

  private record Held(LogItem item, Instant time, long arrivedNanos, long seq) {}

  private static final Comparator<Held> ORDER =
      Comparator.comparing(Held::time).thenComparingLong(Held::seq);

  private final long holdNanos;
  private final int maxHeld;
  private final PriorityQueue<Held> held = new PriorityQueue<>(ORDER);
  private long seq;

  public TimeMerger(java.time.Duration hold) {
    this(hold, MAX_HELD);
  }

  TimeMerger(java.time.Duration hold, int maxHeld) {
    this.holdNanos = hold.toNanos();
    this.maxHeld = maxHeld;
  }

  /** Holds an item that has a time (lines and notes). */
  public void add(LogItem item, long nowNanos) {
    Instant time = item.time() == null ? Instant.EPOCH : item.time();
    held.add(new Held(item, time, nowNanos, seq++));
  }

  /** The oldest items whose window has passed (and the oldest beyond the bound), in time order. */
  public List<LogItem> due(long nowNanos) {
    List<LogItem> out = new ArrayList<>();
    for (LogItem item = next(nowNanos); item != null; item = next(nowNanos)) {
      out.add(item);
    }
    return out;
  }

  /** The oldest item if its window has passed (or the bound is exceeded); null otherwise. */
  public LogItem next(long nowNanos) {
    if (!held.isEmpty()
        && (nowNanos - held.peek().arrivedNanos() >= holdNanos || held.size() > maxHeld)) {
      return held.poll().item();
    }
    return null;
  }

  /** Everything held, in time order. */
  public List<LogItem> drain() {
    List<LogItem> out = new ArrayList<>(held.size());
    while (!held.isEmpty()) {
      out.add(held.poll().item());
    }
    return out;
  }

  public int held() {
    return held.size();
  }
}
