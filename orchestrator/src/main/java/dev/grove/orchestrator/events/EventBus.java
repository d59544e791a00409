package dev.grove.orchestrator.events;

import dev.grove.api.event.ActionInfo;
import dev.grove.api.event.Event;
import dev.grove.api.event.EventPayload;
import dev.grove.api.event.EventTypes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The daemon's one stream of events. Publishing numbers each event ({@code seq} strictly increasing
 * from 1), keeps it in a bounded replay buffer and offers it to every subscriber's bounded queue;
 * it never waits for a subscriber, so a client that stops reading costs at most its queue bound in
 * memory and is told what it missed with a {@link EventTypes#GAP} event.
 *
 * <p>A gap's {@code missed} counts the events dropped for that subscriber; for a replay that starts
 * before the buffer's oldest event it counts every event of the missing range, matching the filter
 * or not (the bus no longer knows which did).
 *
 * <p>The bus remembers the first seq of each run (and of each watch, a run id's prefix before a
 * dot), so a replay for one run starts at that run's first event: following a run that began after
 * a bigger one overflowed the buffer yields no gap for events that were never the run's.
 */
public final class EventBus {
  public static final int DEFAULT_BUFFER_CAPACITY = 100_000;
  public static final int DEFAULT_QUEUE_BOUND = 10_000;

  /** As {@code since}: replay nothing, only events published after subscribing. */
  public static final long NOW = -1;

  private static final Subscription[] NONE = new Subscription[0];

  private final int capacity;
  private final int queueBound;
  private final AtomicReferenceArray<Event> ring;
  private final Object publishLock = new Object();
  private long lastSeq; // guarded by publishLock
  private volatile long published; // lastSeq, readable without the lock
  private volatile Subscription[] subscribers = NONE; // copied on write under publishLock
  private final RunStarts runStarts = new RunStarts(); // guarded by publishLock

  public EventBus() {
    this(DEFAULT_BUFFER_CAPACITY, DEFAULT_QUEUE_BOUND);
  }

  /**
   * @param bufferCapacity how many of the latest events a subscriber can replay
   * @param queueBound how many live events wait for one subscriber before further ones are dropped
   */
  public EventBus(int bufferCapacity, int queueBound) {
    if (bufferCapacity < 1 || queueBound < 1) {
      throw new IllegalArgumentException(
          "buffer capacity and queue bound must be positive: "
              + bufferCapacity
              + ", "
              + queueBound);
    }
    this.capacity = bufferCapacity;
    this.queueBound = queueBound;
    this.ring = new AtomicReferenceArray<>(bufferCapacity);
  }

  /**
   * Numbers, stamps, buffers and delivers one event.
   *
   * @param action null for events about the run as a whole
   */
  public Event publish(String runId, ActionInfo action, EventPayload payload) {
    Objects.requireNonNull(payload, "payload");
    synchronized (publishLock) {
      long seq = ++lastSeq;
      runStarts.saw(runId, seq);
      Event event = new Event(seq, System.currentTimeMillis(), runId, action, payload);
      ring.set(slot(seq), event);
      published = seq;
      for (Subscription subscriber : subscribers) {
        subscriber.offer(event);
      }
      return event;
    }
  }

  /**
   * Replays the buffered events after {@code since} that match, then follows live ones, with none
   * missing or twice in between. A {@code since} older than the buffer yields a gap event first;
   * {@link #NOW}, or a {@code since} beyond the last event (a client of an earlier daemon), replays
   * nothing.
   *
   * @param sink told when events arrive after an empty {@link Subscription#poll}
   */
  public Subscription subscribe(EventFilter filter, long since, Sink sink) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(sink, "sink");
    synchronized (publishLock) {
      Subscription subscription = create(filter, since, sink, true);
      Subscription[] grown = Arrays.copyOf(subscribers, subscribers.length + 1);
      grown[grown.length - 1] = subscription;
      subscribers = grown;
      return subscription;
    }
  }

  /** The buffered events after {@code since} that match; {@link Subscription#isDone} after them. */
  public Subscription replay(EventFilter filter, long since) {
    Objects.requireNonNull(filter, "filter");
    synchronized (publishLock) {
      return create(filter, since, () -> {}, false);
    }
  }

  /** The seq of the latest event, 0 before the first. */
  public long lastSeq() {
    return published;
  }

  /** Subscriptions currently following the bus. */
  public int subscriberCount() {
    return subscribers.length;
  }

  private Subscription create(EventFilter filter, long since, Sink sink, boolean follow) {
    long end = lastSeq;
    long first = since < 0 || since >= end ? end + 1 : since + 1;
    if (filter.runId() != null && first <= end) {
      first = Math.max(first, runStarts.earliestPossible(filter.runId(), end));
    }
    return new Subscription(this, filter, sink, queueBound, follow, first, end);
  }

  void forget(Subscription subscription) {
    synchronized (publishLock) {
      Subscription[] current = subscribers;
      for (int i = 0; i < current.length; i++) {
        if (current[i] == subscription) {
          Subscription[] shrunk = new Subscription[current.length - 1];
          System.arraycopy(current, 0, shrunk, 0, i);
          System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
          subscribers = shrunk;
          return;
        }
      }
    }
  }

  /** The event with that seq if the buffer still holds it, else null. */
  Event buffered(long seq) {
    Event event = ring.get(slot(seq));
    return event != null && event.seq() == seq ? event : null;
  }

  /**
   * After {@link #buffered} found {@code seq} evicted: the oldest seq the buffer still holds. Read
   * from the overwriting event too, as {@code published} may lag the slot a reader just saw.
   */
  long oldestKeptAfter(long seq) {
    Event overwriter = ring.get(slot(seq));
    long fromSlot = overwriter == null ? seq : overwriter.seq() - capacity + 1;
    return Math.max(seq + 1, Math.max(fromSlot, published - capacity + 1));
  }

  private int slot(long seq) {
    return (int) (seq % capacity);
  }

  /**
   * The first seq of each run id and of each prefix before a dot (a watch's id for its runs), for
   * the latest {@link #MAX_RUNS} ids. An id never seen has no event up to now, unless older ids
   * were forgotten, when it may have had some: then nothing is skipped.
   */
  private static final class RunStarts {
    private static final int MAX_RUNS = 10_000;
    private boolean forgotAny;
    private final Map<String, Long> first =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            boolean full = size() > MAX_RUNS;
            forgotAny |= full;
            return full;
          }
        };

    void saw(String runId, long seq) {
      if (runId == null || first.containsKey(runId)) {
        return;
      }
      for (int dot = runId.indexOf('.'); dot > 0; dot = runId.indexOf('.', dot + 1)) {
        first.putIfAbsent(runId.substring(0, dot), seq);
      }
      first.put(runId, seq);
    }

    /** The lowest seq an event of {@code runId} (or of its runs) can have. */
    long earliestPossible(String runId, long lastSeq) {
      Long seq = first.get(runId);
      if (seq != null) {
        return seq;
      }
      return forgotAny ? 1 : lastSeq + 1;
    }
  }
}
