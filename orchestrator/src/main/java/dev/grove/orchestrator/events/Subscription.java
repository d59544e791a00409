package dev.grove.orchestrator.events;

import dev.grove.api.event.Event;
import dev.grove.api.event.EventPayload;
import dev.grove.api.event.EventTypes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One subscriber's view of an {@link EventBus}: first the replay (read straight from the bus's
 * buffer, so a long replay costs no memory here), then the live events, which wait in a bounded
 * queue until the transport {@link #poll}s them.
 *
 * <p>When the queue is full, further events are dropped and counted until the subscriber has
 * emptied the queue; it then gets one {@link EventTypes#GAP} event, {@code {missed, fromSeq,
 * toSeq}}, before anything newer. A gap event is this subscriber's alone (never in the bus) and
 * carries {@code seq = toSeq}: the stream's seqs keep increasing, and a client resuming with {@code
 * since} = the last seq it saw does not ask for the missed range again.
 *
 * <p>One consumer polls; publishers offer from any thread.
 */
public final class Subscription implements AutoCloseable {
  private final EventBus bus;
  private final EventFilter filter;
  private final Sink sink;
  private final int queueBound;
  private final boolean follow;

  // The replay cursor: owned by the polling thread (guarded by pollLock for safety).
  private final Object pollLock = new Object();
  private long nextReplaySeq;
  private final long replayEnd;

  // The live queue and its overflow bookkeeping: guarded by this.
  private final ArrayDeque<Event> queue = new ArrayDeque<>();
  private long missed;
  private long missedFrom;
  private long missedTo;
  private boolean wantsSignal;
  private volatile boolean closed;

  Subscription(
      EventBus bus,
      EventFilter filter,
      Sink sink,
      int queueBound,
      boolean follow,
      long firstReplaySeq,
      long replayEnd) {
    this.bus = bus;
    this.filter = filter;
    this.sink = sink;
    this.queueBound = queueBound;
    this.follow = follow;
    this.nextReplaySeq = firstReplaySeq;
    this.replayEnd = replayEnd;
  }

  public EventFilter filter() {
    return filter;
  }

  /**
   * Up to {@code max} events in seq order: replay first, then live events. An empty list means
   * nothing is there now; for a following subscription the {@link Sink} is then told when there is
   * (call {@code poll} once right after subscribing, it may already hold the replay).
   */
  public List<Event> poll(int max) {
    if (max <= 0) {
      throw new IllegalArgumentException("max must be positive: " + max);
    }
    List<Event> out = new ArrayList<>(Math.min(max, 256));
    synchronized (pollLock) {
      replayInto(out, max);
    }
    if (out.size() < max && follow) {
      drainQueueInto(out, max);
    }
    return out;
  }

  /** True once a subscription without follow has delivered its replay, or once closed. */
  public boolean isDone() {
    if (closed) {
      return true;
    }
    if (follow) {
      return false;
    }
    synchronized (pollLock) {
      return nextReplaySeq > replayEnd;
    }
  }

  /** Live events waiting in the queue now; never more than {@link #queueBound()}. */
  public synchronized int queued() {
    return queue.size();
  }

  public int queueBound() {
    return queueBound;
  }

  /** Events dropped since the queue last overflowed, not yet reported by a gap event. */
  public synchronized long pendingMissed() {
    return missed;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Stops delivery and lets the bus forget this subscription; idempotent. */
  @Override
  public void close() {
    closed = true;
    bus.forget(this);
    synchronized (this) {
      queue.clear();
      missed = 0;
    }
  }

  private void replayInto(List<Event> out, int max) {
    while (out.size() < max && nextReplaySeq <= replayEnd && !closed) {
      long seq = nextReplaySeq;
      Event event = bus.buffered(seq);
      if (event == null) {
        // Overwritten in the buffer before we read it (or older than the buffer to start with).
        long oldest = Math.min(bus.oldestKeptAfter(seq), replayEnd + 1);
        out.add(gap(oldest - seq, seq, oldest - 1));
        nextReplaySeq = oldest;
        continue;
      }
      nextReplaySeq = seq + 1;
      if (filter.matches(event)) {
        out.add(event);
      }
    }
  }

  private void drainQueueInto(List<Event> out, int max) {
    synchronized (this) {
      while (out.size() < max && !queue.isEmpty()) {
        out.add(queue.poll());
      }
      if (queue.isEmpty() && missed > 0 && out.size() < max) {
        out.add(gap(missed, missedFrom, missedTo));
        missed = 0;
      }
      if (out.isEmpty()) {
        wantsSignal = true;
      }
    }
  }

  /** Called by the bus with its publish lock held, so offers arrive in seq order. */
  void offer(Event event) {
    if (closed || !filter.matches(event)) {
      return;
    }
    boolean signal;
    synchronized (this) {
      if (missed > 0 || queue.size() >= queueBound) {
        if (missed == 0) {
          missedFrom = event.seq();
        }
        missed++;
        missedTo = event.seq();
        return;
      }
      queue.add(event);
      signal = wantsSignal;
      wantsSignal = false;
    }
    if (signal) {
      sink.eventsAvailable();
    }
  }

  private Event gap(long count, long fromSeq, long toSeq) {
    return new Event(
        toSeq,
        System.currentTimeMillis(),
        filter.runId(),
        null,
        new EventPayload.Gap(count, fromSeq, toSeq));
  }
}
