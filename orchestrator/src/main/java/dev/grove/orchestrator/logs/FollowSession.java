package dev.grove.orchestrator.logs;

import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.DeployLogs;
import dev.grove.actions.spi.LogSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One client's {@code grove logs -f}: watches the pods of each Deploy's workloads (by their
 * selectors, in the Deploy's namespace), subscribes to the {@link LogHub} source of each started
 * container, and leaves the sources of pods that are gone. Everything goes to the client's {@link
 * LogQueue}. Closing it closes all of that.
 */
public final class FollowSession implements AutoCloseable {
  private final LogHub hub;
  private final LogQueue queue;
  private final Instant started;
  private final Instant cutoff;
  private final Integer tail;
  private final List<DeployLogs.Watch> watches = new ArrayList<>();
  private final Map<String, PodState> pods = new HashMap<>();
  private boolean closed;

  /** A followed pod: its containers' subscriptions and the container ids they were read from. */
  private static final class PodState {
    final Map<String, LogHub.Subscription> subscriptions = new LinkedHashMap<>();
    final Map<String, String> containerIds = new HashMap<>();
  }

  FollowSession(LogHub hub, LogQueue queue, Instant started, Long sinceSeconds, Integer tail) {
    this.hub = hub;
    this.queue = queue;
    this.started = started;
    this.cutoff = sinceSeconds == null ? null : started.minusSeconds(sinceSeconds);
    this.tail = tail;
  }

  /** Starts watching the target's pods; blocks for the first list of them. */
  void watch(LogsService.Target target) throws ActionException {
    DeployLogs.Watch watch =
        target.pods().watch(pod -> sync(target, pod), name -> gone(target, name));
    boolean stop;
    synchronized (this) {
      stop = closed;
      if (!stop) {
        watches.add(watch);
      }
    }
    if (stop) {
      watch.stop();
    }
  }

  private synchronized void sync(LogsService.Target target, DeployLogs.Pod pod) {
    if (closed) {
      return;
    }
    String name = pod.name();
    String key = target.action() + "/" + name;
    PodState state = pods.get(key);
    if (state == null) {
      state = new PodState();
      pods.put(key, state);
      if (!existedBefore(pod)) {
        note(target.action(), name, "new pod " + name);
      }
    }
    boolean initial = existedBefore(pod);
    for (DeployLogs.Container status : pod.containers()) {
      if (!status.hasLog()) {
        continue;
      }
      String container = status.name();
      LogSource source = new LogSource(target.cluster(), target.namespace(), name, container);
      if (!state.subscriptions.containsKey(container)) {
        state.containerIds.put(container, status.id());
        state.subscriptions.put(
            container,
            hub.subscribe(source, new Follower(target.action(), name, container, initial)));
      } else if (!Objects.equals(state.containerIds.get(container), status.id())) {
        // restarted: read the new container's log now, not after the hub's back-off
        state.containerIds.put(container, status.id());
        hub.restarted(source);
      }
      if (status.finished()) {
        hub.finished(source);
      }
    }
  }

  private void gone(LogsService.Target target, String name) {
    PodState state;
    synchronized (this) {
      if (closed) {
        return;
      }
      state = pods.remove(target.action() + "/" + name);
    }
    if (state != null) {
      state.subscriptions.values().forEach(LogHub.Subscription::close);
      note(target.action(), name, "pod " + name + " is gone");
    }
  }

  private boolean existedBefore(DeployLogs.Pod pod) {
    return pod.created() == null || pod.created().isBefore(started);
  }

  private void note(String action, String pod, String message) {
    queue.offer(new LogItem.Note(Instant.now(), action, pod, action + ": " + message));
  }

  /** Pods followed now (for tests and the daemon's log). */
  public synchronized int pods() {
    return pods.size();
  }

  @Override
  public void close() {
    List<DeployLogs.Watch> stop;
    List<PodState> states;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      stop = List.copyOf(watches);
      watches.clear();
      states = List.copyOf(pods.values());
      pods.clear();
    }
    stop.forEach(DeployLogs.Watch::stop);
    states.forEach(state -> state.subscriptions.values().forEach(LogHub.Subscription::close));
    queue.close();
  }

  /**
   * One container's lines for this client: the source's history cut to {@code --since} and, for a
   * container that was there when the client started, {@code --tail}; then every new line.
   */
  private final class Follower implements LogHub.Subscriber {
    private final String action;
    private final String pod;
    private final String container;
    private final boolean initial;

    Follower(String action, String pod, String container, boolean initial) {
      this.action = action;
      this.pod = pod;
      this.container = container;
      this.initial = initial;
    }

    @Override
    public void history(List<LogEntry> lines) {
      List<LogEntry> kept = new ArrayList<>();
      for (LogEntry line : lines) {
        if (cutoff == null || !line.time().isBefore(cutoff)) {
          kept.add(line);
        }
      }
      if (initial && tail != null && kept.size() > tail) {
        kept = kept.subList(kept.size() - tail, kept.size());
      }
      kept.forEach(this::line);
    }

    @Override
    public void refused(String message) {
      note(action, pod, message);
    }

    @Override
    public void line(LogEntry line) {
      if (cutoff == null || !line.time().isBefore(cutoff)) {
        queue.offer(new LogItem.Line(line.time(), action, pod, container, line.text()));
      }
    }
  }
}
