package dev.grove.orchestrator.watch;

import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.api.event.ActionInfo;
import dev.grove.api.event.EventPayload;
import dev.grove.api.run.ActionState;
import dev.grove.api.run.RunRequest;
import dev.grove.api.watch.WatchInfo;
import dev.grove.api.watch.WatchRequest;
import dev.grove.orchestrator.config.ActionContexts;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.config.LoadedProject.ResolvedAction;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.files.ScanResult;
import dev.grove.orchestrator.project.ProjectService;
import dev.grove.orchestrator.solver.RunEvents;
import dev.grove.orchestrator.solver.Runs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * One {@code grove deploy --watch} (or {@code build --watch}), kept by the daemon: the first run,
 * then a run each time saved files change the version of a requested action or of anything it
 * depends on.
 *
 * <p>Saves are coalesced over a quiet period, capped so a constant trickle still runs. The project
 * is then reloaded from the saved paths alone (no walk of the tree: the last scan updated with
 * those files' stamps, config files re-parsed and sources re-hashed only where they changed, by the
 * file-hash cache) and each action's version is compared with the version the watch last processed
 * it at: exactly the changed actions, and the requested actions depending on them, run. A save
 * during a run is kept for one follow-up run when it ends.
 *
 * <p>No loops: Grove's and tools' folders are not watched, ignored files never change a version,
 * and what an {@code exec} action writes into its own folder while it runs (and 150 ms after) is
 * taken as its output: those events are dropped, and the versions at the end of a run without other
 * saves become the new reference. A config that breaks is reported ({@code watchError}, the
 * problems validate gives) and watching goes on.
 *
 * <p>Everything but the file watcher's callback runs on the watch's own thread, one thing at a
 * time.
 */
final class Watch {
  private static final long OWN_WRITES_GRACE_NANOS = 150_000_000L;
  private static final int MAX_PATHS_IN_EVENT = 200;

  private final String id;
  private final WatchRequest request;
  private final ActionKind kind;
  private final ProjectService projects;
  private final Runs runs;
  private final RunEvents events;
  private final Runnable onStopped;
  private final ScheduledExecutorService thread;

  // coalescing: guarded by this
  private final Set<String> pending = new LinkedHashSet<>();
  private long firstPendingNanos;
  private ScheduledFuture<?> timer;
  private boolean stopped;

  /**
   * Folders of exec actions writing now (or lately): how many run there now, and until when their
   * events are their own after the last one ended.
   */
  private final Map<String, long[]> writing = new ConcurrentHashMap<>();

  /** The paths taken as the current run's own writes. */
  private final Set<String> ownWritten = ConcurrentHashMap.newKeySet();

  // the rest: only on the watch's thread (volatile where info() reads it)
  private TreeWatcher watcher;
  private volatile String currentRunId;
  private volatile LoadedProject runProject; // read by the runs' threads (onRunEvent)
  private final Set<String> savedDuringRun = new LinkedHashSet<>();
  private Map<ActionRef, String> processed = Map.of();
  private Map<ActionRef, String> usedByRun = Map.of();
  private ScanResult lastScan;
  private final Deque<String> runIds = new ArrayDeque<>();
  private int runCount;

  Watch(
      String id,
      WatchRequest request,
      ProjectService projects,
      Runs runs,
      RunEvents events,
      Runnable onStopped) {
    this.id = id;
    this.request = request;
    this.kind = request.run().command().equals("build") ? ActionKind.BUILD : ActionKind.DEPLOY;
    this.projects = projects;
    this.runs = runs;
    this.events = events;
    this.onStopped = onStopped;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "grove-" + id);
              t.setDaemon(true);
              return t;
            });
  }

  String id() {
    return id;
  }

  /**
   * Loads the project (config errors are thrown, as for a run), starts the first run and the file
   * watcher.
   */
  WatchInfo start(Path root) throws IOException {
    LoadedProject project = projects.load(request.run().project());
    lastScan = projects.lastScan(request.run().project()).orElse(null);
    watcher =
        new TreeWatcher(
            root,
            dev.grove.orchestrator.config.ProjectLoader.ignoreFiles(
                project.project().dotIgnoreFile()),
            this::saved);
    try {
      call(() -> startRun(project, request.run(), versions(project)));
    } catch (RuntimeException e) {
      watcher.close();
      thread.shutdownNow();
      throw e;
    }
    return info(project.project().name());
  }

  WatchInfo info(String projectName) {
    String state;
    synchronized (this) {
      state = stopped ? "stopped" : currentRunId != null ? "running" : "watching";
    }
    List<String> ids;
    synchronized (runIds) {
      ids = List.copyOf(runIds);
    }
    return new WatchInfo(id, projectName, request.run().command(), state, ids);
  }

  /** Ends the watch: no more runs, the one in progress cancelled. Idempotent. */
  void stop() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
      if (timer != null) {
        timer.cancel(false);
      }
    }
    if (watcher != null) {
      watcher.close();
    }
    thread.execute(
        () -> {
          String running = currentRunId;
          if (running != null) {
            runs.cancel(running);
            try { // its runFinished comes before watchStopped, which ends the stream
              runs.result(running).orElseThrow().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException
                | java.util.NoSuchElementException e) {
              // stopping anyway
            }
          }
          events.publish(id, null, new EventPayload.WatchStopped());
          onStopped.run();
          thread.shutdown();
        });
  }

  // ---- file events (the watcher's thread) ----

  private void saved(Set<String> paths) {
    long now = System.nanoTime();
    List<String> kept = new ArrayList<>();
    for (String path : paths) {
      if (!ownWrite(path, now)) {
        kept.add(path);
      }
    }
    if (kept.isEmpty()) {
      return;
    }
    synchronized (this) {
      if (stopped) {
        return;
      }
      if (pending.isEmpty()) {
        firstPendingNanos = now;
      }
      pending.addAll(kept);
      if (timer != null) {
        timer.cancel(false);
      }
      long quiet = TimeUnit.MILLISECONDS.toNanos(request.quietPeriod());
      long cap = firstPendingNanos + TimeUnit.MILLISECONDS.toNanos(request.maxDelay()) - now;
      timer =
          thread.schedule(
              () -> guarded(this::quiet), Math.max(0, Math.min(quiet, cap)), TimeUnit.NANOSECONDS);
    }
  }

  private boolean ownWrite(String path, long now) {
    for (Map.Entry<String, long[]> dir : writing.entrySet()) {
      long[] state = dir.getValue(); // {running, until}
      boolean active;
      synchronized (state) {
        active = state[0] > 0 || state[1] > now;
      }
      if (active && within(path, dir.getKey())) {
        ownWritten.add(path);
        return true;
      }
    }
    return false;
  }

  private static boolean within(String path, String dir) {
    return dir.isEmpty() || dir.equals(".") || path.equals(dir) || path.startsWith(dir + "/");
  }

  // ---- the watch's thread ----

  private void quiet() {
    Set<String> batch;
    synchronized (this) {
      if (stopped) {
        return;
      }
      batch = new LinkedHashSet<>(pending);
      pending.clear();
      timer = null;
    }
    if (currentRunId != null) {
      savedDuringRun.addAll(batch); // one follow-up run when this one ends
      return;
    }
    evaluate(batch);
  }

  /** Reloads, says what changed, and runs what the changes touch. */
  private void evaluate(Set<String> batch) {
    LoadedProject project;
    try {
      // only the saved files are looked at (the file-hash cache re-reads those whose stamps
      // changed); after lost events, or a run's own writes (runEnded walks), the whole tree
      project =
          projects.load(
              request.run().project(), batch.contains(TreeWatcher.EVERYTHING) ? null : batch);
    } catch (GroveException e) {
      events.publish(id, null, new EventPayload.WatchError(e.error()));
      return;
    }
    ScanResult scan = projects.lastScan(request.run().project()).orElse(null);
    List<String> relevant = relevant(batch, scan);
    lastScan = scan;
    if (!relevant.isEmpty()) {
      events.publish(
          id,
          null,
          new EventPayload.FileChanged(
              relevant.subList(0, Math.min(relevant.size(), MAX_PATHS_IN_EVENT)), relevant.size()));
    }
    Map<ActionRef, String> now = versions(project);
    Set<ActionRef> changed = new TreeSet<>();
    now.forEach(
        (ref, version) -> {
          if (!version.equals(processed.get(ref))) {
            changed.add(ref);
          }
        });
    if (changed.isEmpty()) {
      return;
    }
    List<String> names = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    for (ActionRef ref : requested(project)) {
      if (changed.contains(ref) || dependsOnAny(project, ref, changed)) {
        names.add(ref.name());
        targets.add(ref.toString());
      }
    }
    if (names.isEmpty()) {
      processed = now;
      return;
    }
    RunRequest first = request.run();
    RunRequest next =
        new RunRequest(
            first.project(),
            first.command(),
            names,
            false,
            first.skipDependencies(),
            false,
            first.concurrency(),
            first.publishTag());
    EventPayload.WatchTriggered triggered =
        new EventPayload.WatchTriggered(
            id + "." + (runCount + 1), targets, changed.stream().map(ActionRef::toString).toList());
    synchronized (this) {
      if (stopped) {
        return;
      }
    }
    events.publish(id, null, triggered);
    startRun(project, next, now);
  }

  private void startRun(LoadedProject project, RunRequest run, Map<ActionRef, String> versions) {
    String runId = id + "." + (++runCount);
    currentRunId = runId;
    runProject = project;
    usedByRun = versions;
    savedDuringRun.clear();
    ownWritten.clear();
    try {
      runs.start(run, runId, project);
    } catch (GroveException e) {
      currentRunId = null;
      if (runCount == 1) {
        throw e; // the first run: its client hears it
      }
      events.publish(id, null, new EventPayload.WatchError(e.error()));
      processed = versions;
      return;
    }
    synchronized (runIds) {
      runIds.addLast(runId);
      if (runIds.size() > 100) {
        runIds.removeFirst();
      }
    }
    runs.result(runId)
        .ifPresent(
            result ->
                result.whenComplete(
                    (done, failure) ->
                        // late events of the run's own writes arrive within the grace period
                        thread.schedule(
                            () -> guarded(() -> runEnded(runId)),
                            OWN_WRITES_GRACE_NANOS,
                            TimeUnit.NANOSECONDS)));
  }

  private void runEnded(String runId) {
    if (!runId.equals(currentRunId)) {
      return;
    }
    writing.clear();
    synchronized (this) {
      if (stopped) {
        currentRunId = null;
        return;
      }
    }
    // What the run's own exec actions wrote is part of what it processed: an action takes its
    // version now when the only files of its own that changed since the run started are such
    // writes. Otherwise it keeps the version the run used, and the save's event (queued, or still
    // in its quiet period) runs it again.
    try {
      LoadedProject project = projects.load(request.run().project());
      Map<ActionRef, String> next = merged(processed, usedByRun);
      versions(project)
          .forEach(
              (ref, version) -> {
                if (ownWritesOnly(ref, runProject, project)) {
                  next.put(ref, version);
                }
              });
      processed = next;
      lastScan = projects.lastScan(request.run().project()).orElse(lastScan);
    } catch (GroveException e) {
      processed = merged(processed, usedByRun);
    }
    Set<String> saved = new LinkedHashSet<>(savedDuringRun);
    savedDuringRun.clear();
    currentRunId = null;
    if (!saved.isEmpty()) {
      evaluate(saved); // the one follow-up run
    }
  }

  /** Whether every source file of the action that differs between the two loads is an own write. */
  private boolean ownWritesOnly(ActionRef ref, LoadedProject before, LoadedProject after) {
    ResolvedAction was = before == null ? null : before.actions().get(ref);
    ResolvedAction is = after.actions().get(ref);
    if (was == null || is == null) {
      return false;
    }
    Set<dev.grove.orchestrator.files.FileEntry> old = new java.util.HashSet<>(was.sources());
    Set<dev.grove.orchestrator.files.FileEntry> now = new java.util.HashSet<>(is.sources());
    for (dev.grove.orchestrator.files.FileEntry file : is.sources()) {
      if (!old.contains(file) && !ownWritten.contains(file.path())) {
        return false;
      }
    }
    for (dev.grove.orchestrator.files.FileEntry file : was.sources()) {
      if (!now.contains(file) && !ownWritten.contains(file.path())) {
        return false;
      }
    }
    return true;
  }

  /** The run's events: which exec actions are writing into their folders now. */
  void onRunEvent(String runId, ActionInfo action, EventPayload payload) {
    if (action == null
        || !(payload instanceof EventPayload.ActionStatus status)
        || !runId.equals(currentRunId)) {
      return;
    }
    LoadedProject project = runProject;
    Optional<ActionRef> ref = ActionRef.parse(action.ref());
    ResolvedAction resolved =
        project == null || ref.isEmpty() ? null : project.actions().get(ref.get());
    if (resolved == null || !"exec".equals(resolved.config().type())) {
      return;
    }
    // where its command runs: a Deploy with `build:` runs in the Build's folder
    Path root = project.project().root();
    String dir =
        root.relativize(ActionContexts.sourceDir(project, resolved).normalize())
            .toString()
            .replace('\\', '/');
    ActionState state = status.state();
    if (state == ActionState.PROCESSING) {
      long[] counts = writing.computeIfAbsent(dir, d -> new long[2]);
      synchronized (counts) {
        counts[0]++;
      }
    } else if (state != ActionState.PENDING && state != ActionState.CHECKING) {
      long[] counts = writing.get(dir);
      if (counts != null) {
        synchronized (counts) {
          counts[0] = Math.max(0, counts[0] - 1);
          counts[1] = System.nanoTime() + OWN_WRITES_GRACE_NANOS;
        }
      }
    }
  }

  // ---- helpers ----

  /** The requested actions: the named ones of the command's kind, or all enabled ones. */
  private List<ActionRef> requested(LoadedProject project) {
    List<ActionRef> out = new ArrayList<>();
    List<String> names = request.run().names();
    for (Map.Entry<ActionRef, ResolvedAction> entry : project.actions().entrySet()) {
      ActionRef ref = entry.getKey();
      if (ref.kind() != kind || entry.getValue().config().disabled()) {
        continue;
      }
      if (names.isEmpty() || names.contains(ref.name())) {
        out.add(ref);
      }
    }
    return out;
  }

  /** Versions of the requested actions and everything they depend on. */
  private Map<ActionRef, String> versions(LoadedProject project) {
    Map<ActionRef, String> out = new HashMap<>();
    for (ActionRef ref : project.graph().withDependencies(requested(project), any -> true)) {
      ResolvedAction action = project.actions().get(ref);
      if (action != null) {
        out.put(ref, action.version());
      }
    }
    return out;
  }

  private static boolean dependsOnAny(LoadedProject project, ActionRef ref, Set<ActionRef> refs) {
    return project.graph().withDependencies(project.graph().dependencies(ref), any -> true).stream()
        .anyMatch(refs::contains);
  }

  /** The saved paths the project sees (now, or before: deleted), sorted; ignored ones left out. */
  private List<String> relevant(Set<String> batch, ScanResult now) {
    Set<String> out = new TreeSet<>();
    for (String path : batch) {
      if (path.equals(TreeWatcher.EVERYTHING)
          || (now != null && now.find(path).isPresent())
          || (lastScan != null && lastScan.find(path).isPresent())) {
        out.add(path);
      }
    }
    return new ArrayList<>(out);
  }

  private static Map<ActionRef, String> merged(
      Map<ActionRef, String> base, Map<ActionRef, String> over) {
    Map<ActionRef, String> out = new HashMap<>(base);
    out.putAll(over);
    return out;
  }

  /**
   * Runs a task of the watch's thread: a failure Grove did not foresee is reported ({@code
   * watchError}, the daemon's log) and watching goes on, never stuck in a run that did not start.
   */
  private void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(Watch.class).error("{} failed", this, e);
      if (currentRunId != null && runs.get(currentRunId).isEmpty()) {
        currentRunId = null;
      }
      events.publish(
          id,
          null,
          new EventPayload.WatchError(
              dev.grove.api.error.ApiError.of(
                  dev.grove.api.error.ErrorCodes.INTERNAL,
                  "The watch failed to handle a change: " + e,
                  "Watching goes on; the daemon's log has the details.")));
    }
  }

  /** Runs on the watch's thread and waits; its exception is rethrown here. */
  private void call(Runnable task) {
    try {
      thread.submit(task).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public String toString() {
    return "Watch[" + id + "]";
  }
}
