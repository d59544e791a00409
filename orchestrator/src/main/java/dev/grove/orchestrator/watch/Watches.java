package dev.grove.orchestrator.watch;

import dev.grove.api.error.ErrorCodes;
import dev.grove.api.event.ActionInfo;
import dev.grove.api.event.EventPayload;
import dev.grove.api.watch.WatchInfo;
import dev.grove.api.watch.WatchRequest;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.project.DefaultProjectService;
import dev.grove.orchestrator.project.ProjectService;
import dev.grove.orchestrator.solver.RunEvents;
import dev.grove.orchestrator.solver.Runs;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's watches ({@link Watch}): started by {@code grove deploy --watch}, listed, stopped.
 * They live in the daemon: a CLI that goes away leaves its watch running until {@code stop}.
 */
public final class Watches {
  private final ProjectService projects;
  private final Runs runs;
  private final RunEvents events;
  private final Map<String, Entry> watches = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  private record Entry(Watch watch, String project) {}

  /** Listens to the events of {@code runs}: the watches' runs tell what they did. */
  public Watches(ProjectService projects, Runs runs, RunEvents events) {
    this.projects = projects;
    this.runs = runs;
    this.events = events;
    runs.listen(this::onRunEvent);
  }

  /** The events of runs, for the watches (their runs' exec actions writing). */
  private void onRunEvent(String runId, ActionInfo action, EventPayload payload) {
    int dot = runId == null ? -1 : runId.indexOf('.');
    if (dot < 0) {
      return;
    }
    Entry entry = watches.get(runId.substring(0, dot));
    if (entry != null) {
      entry.watch().onRunEvent(runId, action, payload);
    }
  }

  /** Starts a watch: loads the project, starts the first run. Blocking: call it on a worker. */
  public WatchInfo start(WatchRequest request) {
    if (request.run() == null || request.run().project() == null) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST,
          "The watch request has no run.",
          "Send {run: {project: {...}, command: \"deploy\"}}.");
    }
    String command = request.run().command();
    if (!"deploy".equals(command) && !"build".equals(command)) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST,
          "Only build and deploy can watch, not `" + command + "`.",
          "Run `grove deploy --watch` or `grove build --watch`.");
    }
    if (request.quietPeriod() < 0 || request.maxDelay() < request.quietPeriod()) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST,
          "The quiet period must be 0 or more, and no longer than the maximum delay ("
              + request.maxDelay()
              + " ms).",
          "Pass e.g. --quiet-period 200ms.");
    }
    String id = request.watchId();
    if (id == null) {
      id = "watch-" + HexFormat.of().formatHex(randomBytes());
    } else if (!id.matches("watch-[0-9a-f]{8,32}")) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST,
          "The watch id `" + id + "` is not watch- and 8 to 32 lower-case hex digits.",
          "Leave watchId out and the daemon picks one.");
    }
    Watch watch = new Watch(id, request, projects, runs, events, () -> {});
    if (watches.putIfAbsent(id, new Entry(watch, "")) != null) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST,
          "A watch " + id + " exists already.",
          "Pick another id, or leave watchId out.");
    }
    try {
      WatchInfo info = watch.start(DefaultProjectService.resolveRoot(request.run().project()));
      watches.put(id, new Entry(watch, info.project()));
      return info;
    } catch (IOException e) {
      watches.remove(id);
      throw new GroveException(
          ErrorCodes.INTERNAL,
          "Cannot watch the project's files: " + e.getMessage(),
          "On Linux, raise fs.inotify.max_user_watches if the project has many folders.");
    } catch (RuntimeException e) {
      watches.remove(id);
      throw e;
    }
  }

  public Optional<WatchInfo> get(String watchId) {
    Entry entry = watches.get(watchId);
    return entry == null ? Optional.empty() : Optional.of(entry.watch().info(entry.project()));
  }

  public List<WatchInfo> list() {
    List<WatchInfo> out = new ArrayList<>();
    watches.values().forEach(entry -> out.add(entry.watch().info(entry.project())));
    return out;
  }

  /** Stops a watch (and the run it has in progress); false when there is no such watch. */
  public boolean stop(String watchId) {
    Entry entry = watches.remove(watchId);
    if (entry == null) {
      return false;
    }
    entry.watch().stop();
    return true;
  }

  /** Stops every watch (the daemon is stopping). */
  public void stopAll() {
    List.copyOf(watches.keySet()).forEach(this::stop);
  }

  private byte[] randomBytes() {
    byte[] bytes = new byte[4];
    random.nextBytes(bytes);
    return bytes;
  }
}
