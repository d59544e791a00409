package dev.grove.sandbox.cluster;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the simulated kubelet recorded as the output of each container, as the container runtime's
 * log files would hold it, and who follows it. Thread-safe: the kubelet appends from its loop, the
 * API server reads and follows from its event loops.
 */
public final class PodLogs {

  /** Lines kept per container; older ones are dropped, as log rotation would. */
  static final int MAX_LINES = 10_000;

  /** One line of output, without its line break, and when it was written. */
  public record Line(Instant time, String text) {}

  /**
   * Someone following a container's log: told of each new line, and when the log ends. Called under
   * the log's lock: hand the line on, never block.
   */
  public interface Follower {
    void line(Line line);

    void end();
  }

  /** A follow that can be cancelled (the client went away). */
  public interface Subscription {
    void cancel();
  }

  private record Key(String namespace, String pod, String container) {}

  /** One container's log: its lines, followers, and whether it ended (container exited). */
  private static final class Log {
    final Deque<Line> lines = new ArrayDeque<>();
    final List<Follower> followers = new CopyOnWriteArrayList<>();
    boolean ended;
  }

  private final Map<Key, Log> logs = new ConcurrentHashMap<>();
  private final Map<Key, Log> previous = new ConcurrentHashMap<>();
  private final Clock clock;

  public PodLogs(Clock clock) {
    this.clock = clock;
  }

  /** Appends a line to a container's log (starting it), and tells its followers. */
  public void append(String namespace, String pod, String container, String text) {
    append(namespace, pod, container, clock.instant(), text);
  }

  /** As {@link #append(String, String, String, String)}, written at {@code time}. */
  public void append(String namespace, String pod, String container, Instant time, String text) {
    Log log = logs.computeIfAbsent(new Key(namespace, pod, container), k -> new Log());
    Line line = new Line(time, text);
    synchronized (log) {
      log.lines.addLast(line);
      while (log.lines.size() > MAX_LINES) {
        log.lines.removeFirst();
      }
      // under the lock, so followers see lines in order (they only hand them on, never block)
      log.followers.forEach(f -> f.line(line));
    }
  }

  /** The container exited: its log stays readable, its followers are done. */
  public void end(String namespace, String pod, String container) {
    Log log = logs.get(new Key(namespace, pod, container));
    if (log == null) {
      return;
    }
    List<Follower> followers;
    synchronized (log) {
      log.ended = true;
      followers = List.copyOf(log.followers);
      log.followers.clear();
    }
    followers.forEach(Follower::end);
  }

  /**
   * The container starts again: its log so far becomes the previous one ({@link #previous}) and a
   * new, empty log begins; followers of the old one are done.
   */
  public void restart(String namespace, String pod, String container) {
    Key key = new Key(namespace, pod, container);
    end(namespace, pod, container);
    Log old = logs.put(key, new Log());
    if (old != null) {
      previous.put(key, old);
    }
  }

  /**
   * The lines of the container's last ended run, as a kubelet serves {@code --previous} (the run
   * its {@code lastState.terminated} names): the current log once the container has exited (and
   * waits in back-off), else the run before the current one; empty when no run ended.
   */
  public Optional<List<Line>> previous(String namespace, String pod, String container) {
    Key key = new Key(namespace, pod, container);
    Log current = logs.get(key);
    if (current != null) {
      synchronized (current) {
        if (current.ended) {
          return Optional.of(new ArrayList<>(current.lines));
        }
      }
    }
    Log log = previous.get(key);
    if (log == null) {
      return Optional.empty();
    }
    synchronized (log) {
      return Optional.of(new ArrayList<>(log.lines));
    }
  }

  /** The pod is gone: its logs go with it and their followers are done. */
  public void podGone(String namespace, String pod) {
    previous.keySet().removeIf(k -> k.namespace().equals(namespace) && k.pod().equals(pod));
    for (Key key : List.copyOf(logs.keySet())) {
      if (key.namespace().equals(namespace) && key.pod().equals(pod)) {
        Log log = logs.remove(key);
        if (log != null) {
          List<Follower> followers;
          synchronized (log) {
            log.ended = true;
            followers = List.copyOf(log.followers);
            log.followers.clear();
          }
          followers.forEach(Follower::end);
        }
      }
    }
  }

  /** The lines of a container's log, or empty when the container never started. */
  public Optional<List<Line>> lines(String namespace, String pod, String container) {
    Log log = logs.get(new Key(namespace, pod, container));
    if (log == null) {
      return Optional.empty();
    }
    synchronized (log) {
      return Optional.of(new ArrayList<>(log.lines));
    }
  }

  /**
   * The lines so far, handed to {@code first}, then every new line to {@code follower} until the
   * log ends; both under one lock, so no line is lost or told twice. Empty when the container never
   * started.
   */
  public Optional<Subscription> follow(
      String namespace,
      String pod,
      String container,
      java.util.function.Consumer<List<Line>> first,
      Follower follower) {
    Log log = logs.get(new Key(namespace, pod, container));
    if (log == null) {
      return Optional.empty();
    }
    boolean ended;
    synchronized (log) {
      first.accept(new ArrayList<>(log.lines));
      ended = log.ended;
      if (!ended) {
        log.followers.add(follower);
      }
    }
    if (ended) {
      follower.end();
    }
    return Optional.of(() -> log.followers.remove(follower));
  }
}
