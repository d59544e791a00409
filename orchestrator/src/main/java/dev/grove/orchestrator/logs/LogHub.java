package dev.grove.orchestrator.logs;

import dev.grove.actions.spi.LogReaders;
import dev.grove.actions.spi.LogSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Reads each container log once and fans its lines out to every subscriber: sources are keyed by
 * cluster, namespace, pod and container, counted by subscribers, and closed when the last one
 * leaves. A source first loads the container's last {@value #HISTORY} lines as its history, then
 * follows the log and keeps its last {@value #HISTORY} lines: every subscriber, the first one too,
 * starts with that history (and can cut it to its {@code --tail}), then gets each new line.
 *
 * <p>A read that ends while subscribers remain (the container exited or restarted, the connection
 * broke) is opened again from the last line's time, with a back-off, and the lines it already sent
 * are skipped (only in that overlap: identical lines at one time are all delivered otherwise): a
 * subscriber sees each line once. Subscribers are called under the source's lock and must hand
 * lines on without blocking (a {@link LogQueue} does).
 */
public final class LogHub {
  /** Lines a source keeps for late subscribers; also the backlog it loads before its first read. */
  public static final int HISTORY = LogReaders.HISTORY;

  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);

  /** Receives one source's lines. */
  public interface Subscriber {
    /** What the source holds when the subscriber joins, oldest first; once, before any line. */
    void history(List<LogEntry> lines);

    void line(LogEntry line);

    /**
     * The API refused to give the container's log (told once per reason; the hub keeps trying).
     *
     * @param message names the container and the API's reason
     */
    default void refused(String message) {}
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

  /** Every source {@code which} accepts (re)started: as {@link #restarted(LogSource)}. */
  public void restarted(Predicate<LogSource> which) {
    List<Source> matching;
    synchronized (this) {
      matching = sources.values().stream().filter(source -> which.test(source.key)).toList();
    }
    matching.forEach(source -> source.open(true));
  }

  /**
   * The container terminated and will not run again (its pod does not restart it): once its read
   * ends, it is not opened again, until {@link #restarted} says otherwise.
   */
  public void finished(LogSource key) {
    Source source;
    synchronized (this) {
      source = sources.get(key);
    }
    if (source != null) {
      source.finish();
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

    /** Subscribers that joined before the backlog was loaded: they get it as their history. */
    final List<Subscriber> waiting = new ArrayList<>();

    boolean loaded;

    /** The newest line's time, and how often each text was read at exactly that time. */
    Instant last;

    final Map<String, Integer> atLast = new HashMap<>();
    LogReaders.Reader reader;
    boolean reading;
    boolean closed;

    /** The container terminated and its pod will not restart it. */
    boolean finished;

    int generation;
    int failures;

    /** The refusal the subscribers were told of last, so that a retry does not repeat it. */
    String told;

    Source(LogSource key) {
      this.key = key;
    }

    synchronized void join(Subscriber subscriber) {
      if (loaded) {
        subscriber.history(List.copyOf(history));
        subscribers.add(subscriber);
      } else {
        waiting.add(subscriber);
      }
    }

    /** True when that was the last subscriber. */
    synchronized boolean leave(Subscriber subscriber) {
      subscribers.remove(subscriber);
      waiting.remove(subscriber);
      return subscribers.isEmpty() && waiting.isEmpty();
    }

    synchronized void finish() {
      finished = true;
    }

    void open(boolean now) {
      int reading;
      synchronized (this) {
        if (now) {
          finished = false;
        }
        if (closed || this.reading) {
          return;
        }
        if (now) {
          failures = 0;
        }
        this.reading = true;
        reading = ++generation;
      }
      opener.execute(() -> read(reading));
    }

    /** On the opener: the backlog first (once), then the following read from the last line. */
    private void read(int reading) {
      Reading sink;
      try {
        if (!isLoaded() && !load(reading, readers.backlog(key, historyLimit))) {
          return;
        }
        synchronized (this) {
          sink = new Reading(reading, last, last == null ? null : new HashMap<>(atLast));
        }
      } catch (RuntimeException e) {
        ended(reading, e);
        return;
      }
      LogReaders.Reader opened;
      try {
        opened = readers.open(key, sink.since, sink);
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
    }

    private synchronized boolean isLoaded() {
      return loaded;
    }

    /** Takes the backlog as history and hands it to the subscribers waiting for it. */
    private synchronized boolean load(int reading, List<LogReaders.Stamped> backlog) {
      if (closed || generation != reading) {
        return false;
      }
      for (LogReaders.Stamped line : backlog) {
        keep(line.time(), line.text());
      }
      loaded = true;
      for (Subscriber subscriber : waiting) {
        subscriber.history(List.copyOf(history));
        subscribers.add(subscriber);
      }
      waiting.clear();
      return true;
    }

    void line(Reading reading, Instant time, String text) {
      synchronized (this) {
        if (closed || generation != reading.generation) {
          return;
        }
        if (reading.skip != null) {
          // a read opened again from the last line's time: skip what was read up to there,
          // each text at that time as often as it was read, until the read gets past it
          int order = time.compareTo(reading.since);
          if (order < 0) {
            return;
          }
          if (order == 0) {
            Integer seen = reading.skip.get(text);
            if (seen != null) {
              if (seen == 1) {
                reading.skip.remove(text);
              } else {
                reading.skip.put(text, seen - 1);
              }
              return;
            }
          } else {
            reading.skip = null;
          }
        }
        failures = 0;
        told = null;
        LogEntry entry = keep(time, text);
        for (Subscriber subscriber : subscribers) {
          subscriber.line(entry);
        }
      }
    }

    /** Adds a line to the history; under the lock. */
    private LogEntry keep(Instant time, String text) {
      if (last == null || time.isAfter(last)) {
        last = time;
        atLast.clear();
      }
      if (time.equals(last)) {
        atLast.merge(text, 1, Integer::sum);
      }
      LogEntry entry = new LogEntry(key, time, text);
      history.addLast(entry);
      if (history.size() > historyLimit) {
        history.removeFirst();
      }
      return entry;
    }

    void ended(int reading, Throwable failure) {
      Duration delay;
      synchronized (this) {
        if (closed || generation != reading) {
          return;
        }
        this.reading = false;
        reader = null;
        if (failure instanceof LogReaders.Refused refused && !refused.getMessage().equals(told)) {
          told = refused.getMessage();
          for (Subscriber subscriber : subscribers) {
            subscriber.refused(told);
          }
          for (Subscriber subscriber : waiting) {
            subscriber.refused(told);
          }
        }
        if (finished && failure == null) {
          return; // it ended for good: nothing more to read
        }
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

    /**
     * The sink of one read; a stale read's lines are ignored.
     *
     * @param skip when the read starts again from {@code since}: the texts read at that time, and
     *     how often, to skip; null once the read got past them
     */
    private final class Reading implements LogReaders.Sink {
      private final int generation;
      private final Instant since;
      private Map<String, Integer> skip;

      Reading(int generation, Instant since, Map<String, Integer> skip) {
        this.generation = generation;
        this.since = since;
        this.skip = skip;
      }

      @Override
      public void line(Instant time, String text) {
        Source.this.line(this, time, text);
      }

      @Override
      public void end(Throwable failure) {
        ended(generation, failure);
      }
    }
  }
}
