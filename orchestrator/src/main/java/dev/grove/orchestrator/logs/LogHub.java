package dev.grove.orchestrator.logs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Reads each container log once and fans its lines out to every subscriber: sources are keyed by
 * cluster, namespace, pod and container, counted by subscribers, and closed when the last one
 * leaves. A source keeps its last {@value #HISTORY} lines, so a subscriber that joins later starts
 * with what the others saw.
 *
 * <p>A read that ends while subscribers remain (the container exited or restarted, the connection
 * broke) is opened again from the last line's time, with a back-off, and the lines it already sent
 * are skipped: a subscriber sees each line once. Subscribers are called under the source's lock and
 * must hand lines on without blocking (a {@link LogQueue} does).
 */
public final class LogHub {
  /** Lines a source keeps for late subscribers; also how far back a first read starts. */
  public static final int HISTORY = 5_000;

  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);

  /** Receives one source's lines. */
  public interface Subscriber {
    /** What the source holds when the subscriber joins, oldest first; once, before any line. */
    void history(List<LogEntry> lines);

    void line(LogEntry line);
  }

  /** Leaving a source; idempotent. */
  @FunctionalInterface
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /** Runs a task later (the back-off before opening a read again). */
  @FunctionalInterface
  public interface Scheduler {
    void schedule(Duration delay, Runnable task);
  }

  private final LogReaders readers;
  private final Executor opener;
  private final Scheduler scheduler;
  private final int historyLimit;
  private final Map<LogSource, Source> sources = new HashMap<>();

  /**
   * @param opener runs the (blocking) opens of reads
   */
  public LogHub(LogReaders readers, Executor opener, Scheduler scheduler) {
    this(readers, opener, scheduler, HISTORY);
  }

  LogHub(LogReaders readers, Executor opener, Scheduler scheduler, int historyLimit) {
    this.readers = readers;
    this.opener = opener;
    this.scheduler = scheduler;
    this.historyLimit = historyLimit;
  }

  /** Joins a source, opening its read when this is its first subscriber. */
  public Subscription subscribe(LogSource key, Subscriber subscriber) {
    Source source;
    synchronized (this) {
      source = sources.computeIfAbsent(key, Source::new);
      source.join(subscriber);
    }
    source.open(false);
    boolean[] left = {false};
    return () -> {
      synchronized (left) {
        if (left[0]) {
          return;
        }
        left[0] = true;
      }
      leave(source, subscriber);
    };
  }

  /**
   * The container (re)started: read its log again now if the last read ended, rather than after the
   * back-off.
   */
  public void restarted(LogSource key) {
    Source source;
    synchronized (this) {
      source = sources.get(key);
    }
    if (source != null) {
      source.open(true);
    }
  }

  /** Sources with subscribers (each has one read, open or about to be). */
  public synchronized int sources() {
    return sources.size();
  }

  private void leave(Source source, Subscriber subscriber) {
    boolean last;
    synchronized (this) {
      last = source.leave(subscriber);
      if (last) {
        sources.remove(source.key, source);
      }
    }
    if (last) {
      source.close();
    }
  }

  /** One container's log, its read and its subscribers. */
  private final class Source {
    final LogSource key;
    final ArrayDeque<LogEntry> history = new ArrayDeque<>();
    final List<Subscriber> subscribers = new ArrayList<>();

    /** The newest line's time, and the texts read at exactly that time (to skip on a re-read). */
    Instant last;

    final Set<String> atLast = new HashSet<>();
    LogReaders.Reader reader;
    boolean reading;
    boolean closed;
    int generation;
    int failures;

    Source(LogSource key) {
      this.key = key;
    }

    synchronized void join(Subscriber subscriber) {
      subscriber.history(List.copyOf(history));
      subscribers.add(subscriber);
    }

    /** True when that was the last subscriber. */
    synchronized boolean leave(Subscriber subscriber) {
      subscribers.remove(subscriber);
      return subscribers.isEmpty();
    }

    void open(boolean now) {
      int reading;
      Instant since;
      synchronized (this) {
        if (closed || this.reading) {
          return;
        }
        if (now) {
          failures = 0;
        }
        this.reading = true;
        reading = ++generation;
        since = last;
      }
      opener.execute(
          () -> {
            LogReaders.Reader opened;
            try {
              opened = readers.open(key, since, new Reading(reading));
            } catch (RuntimeException e) {
              ended(reading, e);
              return;
            }
            boolean stale;
            synchronized (this) {
              stale = closed || generation != reading;
              if (!stale) {
                reader = opened;
              }
            }
            if (stale) {
              opened.close();
            }
          });
    }

    void line(int reading, Instant time, String text) {
      synchronized (this) {
        if (closed || generation != reading) {
          return;
        }
        if (last != null) {
          int order = time.compareTo(last);
          if (order < 0 || (order == 0 && atLast.contains(text))) {
            return; // read before this read began
          }
        }
        if (last == null || time.isAfter(last)) {
          last = time;
          atLast.clear();
        }
        atLast.add(text);
        failures = 0;
        LogEntry entry = new LogEntry(key, time, text);
        history.addLast(entry);
        if (history.size() > historyLimit) {
          history.removeFirst();
        }
        for (Subscriber subscriber : subscribers) {
          subscriber.line(entry);
        }
      }
    }

    void ended(int reading, Throwable failure) {
      Duration delay;
      synchronized (this) {
        if (closed || generation != reading) {
          return;
        }
        this.reading = false;
        reader = null;
        // a container that restarts, a broken connection, or one that has not started yet:
        // look again, less and less often while nothing new comes
        long seconds = FIRST_RETRY.toSeconds() << Math.min(failures, 5);
        delay = Duration.ofSeconds(Math.min(seconds, MAX_RETRY.toSeconds()));
        failures++;
      }
      scheduler.schedule(delay, () -> open(false));
    }

    void close() {
      LogReaders.Reader open;
      synchronized (this) {
        closed = true;
        open = reader;
        reader = null;
      }
      if (open != null) {
        open.close();
      }
    }

    /** The sink of one read; a stale read's lines are ignored. */
    private final class Reading implements LogReaders.Sink {
      private final int generation;

      Reading(int generation) {
        this.generation = generation;
      }

      @Override
      public void line(Instant time, String text) {
        Source.this.line(generation, time, text);
      }

      @Override
      public void end(Throwable failure) {
        ended(generation, failure);
      }
    }
  }
}
