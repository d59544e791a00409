package dev.grove.orchestrator.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's bounded queue: producers (the hub's reads) never wait; when the client reads too
 * slowly and the queue is full, items are dropped and counted, and the client is told with a {@link
 * LogItem.Gap} where they went missing. The same idea as the event stream's per-client queue.
 */
public final class LogQueue {
  /** Items one client may have waiting, as for events. */
  public static final int CAPACITY = 10_000;

  private final int capacity;
  private final Runnable wake;
  private final ArrayDeque<LogItem> items = new ArrayDeque<>();
  private long dropped;
  private boolean closed;

  /**
   * @param wake called (from the producer's thread) when items arrive in an empty queue
   */
  public LogQueue(int capacity, Runnable wake) {
    if (capacity < 2) {
      throw new IllegalArgumentException("capacity " + capacity + " < 2");
    }
    this.capacity = capacity;
    this.wake = wake;
  }

  public LogQueue(Runnable wake) {
    this(CAPACITY, wake);
  }

  /** Adds the item, or drops and counts it when the queue is full. Never blocks. */
  public void offer(LogItem item) {
    boolean wasEmpty;
    synchronized (this) {
      if (closed) {
        return;
      }
      // room for the gap that tells of earlier drops, and the item after it
      if (items.size() + (dropped > 0 ? 2 : 1) > capacity) {
        dropped++;
        return;
      }
      wasEmpty = items.isEmpty();
      if (dropped > 0) {
        items.addLast(new LogItem.Gap(dropped));
        dropped = 0;
      }
      items.addLast(item);
    }
    if (wasEmpty) {
      wake.run();
    }
  }

  /** Up to {@code max} items, oldest first; a gap comes last when items went missing after them. */
  public synchronized List<LogItem> poll(int max) {
    List<LogItem> batch = new ArrayList<>(Math.min(max, items.size() + 1));
    while (batch.size() < max && !items.isEmpty()) {
      batch.add(items.removeFirst());
    }
    if (items.isEmpty() && dropped > 0 && batch.size() < max) {
      batch.add(new LogItem.Gap(dropped));
      dropped = 0;
    }
    return batch;
  }

  public synchronized int size() {
    return items.size();
  }

  /** Nothing more is taken. */
  public synchronized void close() {
    closed = true;
    items.clear();
  }
}
