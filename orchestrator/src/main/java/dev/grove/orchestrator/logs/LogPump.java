package dev.grove.orchestrator.logs;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/**
 * One client's flow: items leave its {@link LogQueue} into its {@link TimeMerger} only while the
 * merger holds fewer than a bound, and leave the merger only while the socket takes more. A slow
 * client so leaves its backlog in the bounded queue, which drops and tells it with a gap, instead
 * of piling everything into the socket's write queue. Not thread-safe: the connection's context
 * owns it.
 */
public final class LogPump {
  /** Items the merger may hold for one client; the rest waits in the queue. */
  static final int MAX_MERGING = 2_048;

  private static final int BATCH = 512;

  /** Where the items go: the websocket. */
  public interface Outlet {
    /** The socket's write queue is full: wait for it to drain. */
    boolean full();

    void write(LogItem item);
  }

  private final LogQueue queue;
  private final TimeMerger merger;
  private final int maxMerging;

  public LogPump(LogQueue queue, Duration hold) {
    this(queue, new TimeMerger(hold), MAX_MERGING);
  }

  LogPump(LogQueue queue, TimeMerger merger, int maxMerging) {
    this.queue = queue;
    this.merger = merger;
    this.maxMerging = maxMerging;
  }

  /**
   * Sends what is due and takes more while the outlet is not full.
   *
   * @return true when it stopped because the outlet is full (pump again once it drained)
   */
  public boolean pump(Outlet outlet, long nowNanos) {
    while (!outlet.full()) {
      LogItem due = merger.next(nowNanos);
      if (due != null) {
        outlet.write(due);
        continue;
      }
      int room = maxMerging - merger.held();
      if (room <= 0) {
        return false; // what is held waits for its window
      }
      List<LogItem> batch = queue.poll(Math.min(BATCH, room));
      if (batch.isEmpty()) {
        return false;
      }
      for (LogItem item : batch) {
        if (item instanceof LogItem.Gap) {
          outlet.write(item); // no time to merge by: say it now
        } else {
          merger.add(item, nowNanos);
        }
      }
    }
    return true;
  }

  /**
   * Writes {@code items} while the outlet takes more (a read's whole answer, already in order).
   *
   * @return true when it stopped because the outlet is full (call again once it drained)
   */
  public static boolean send(Iterator<LogItem> items, Outlet outlet) {
    while (items.hasNext()) {
      if (outlet.full()) {
        return true;
      }
      outlet.write(items.next());
    }
    return false;
  }

  /** Items held for the time order (for tests and the daemon's log). */
  public int merging() {
    return merger.held();
  }
}
