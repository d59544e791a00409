package dev.grove.orchestrator.solver;

import dev.grove.api.error.ErrorCodes;
import dev.grove.api.run.RunInfo;
import dev.grove.api.run.RunRequest;
import dev.grove.api.run.RunResult;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.project.ProjectService;
import dev.grove.orchestrator.router.ActionRouter;
import dev.grove.orchestrator.template.TemplateResolver;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's runs: starts them (loading the project first, so config errors answer at once),
 * keeps the recent ones for {@code grove runs} and {@code grove attach}, cancels them. A run goes
 * on when the client that started it goes away.
 */
public final class Runs {
  private static final int KEPT = 100;

  private final ProjectService projects;
  private final RunExecution.Services services;
  private final Limits limits;
  private final Map<String, Entry> runs = new LinkedHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final List<RunEvents> listeners = new CopyOnWriteArrayList<>();

  private static final class Entry {
    // Dropped once the run ends: it holds the loaded project, which must not outlive the run.
    volatile RunExecution execution;
    final CompletableFuture<RunResult> result;
    final String project;
    final String command;
    final long startedAt = System.currentTimeMillis();
    volatile Long finishedAt;

    Entry(RunExecution execution, String project, String command) {
      this.execution = execution;
      this.result = execution.result();
      this.project = project;
      this.command = command;
    }
  }

  /**
   * @param router where the runs' operations go: the registry the projects were loaded with
   */
  public Runs(ProjectService projects, ActionRouter router, RunEvents events, Limits limits) {
    this(projects, router, events, limits, workerPool(), timerPool());
  }

  Runs(
      ProjectService projects,
      ActionRouter router,
      RunEvents events,
      Limits limits,
      ExecutorService workers,
      ScheduledExecutorService timers) {
    this.projects = projects;
    this.limits = limits;
    RunEvents all =
        (runId, action, payload) -> {
          events.publish(runId, action, payload);
          for (RunEvents listener : listeners) {
            listener.publish(runId, action, payload);
          }
        };
    this.services =
        new RunExecution.Services(
            all, workers, timers, new InFlight(), new TemplateResolver(), router);
  }

  /** Hands every event of every run to {@code listener} too, after the run's own events. */
  public void listen(RunEvents listener) {
    listeners.add(listener);
  }

  /**
   * Loads the project, plans the run and starts it. Blocks for the load (call it on a worker);
   * config problems and bad names are thrown before any run exists.
   */
  public RunInfo start(RunRequest request) {
    return start(request, "run-" + HexFormat.of().formatHex(randomBytes()));
  }

  /** As {@link #start(RunRequest)}, under this id (a watch's runs are {@code watchId.N}). */
  public RunInfo start(RunRequest request, String runId) {
    if (request.project() == null) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST, "The run request has no project.", "Send {project: {...}}.");
    }
    return start(request, runId, projects.load(request.project()));
  }

  /** As {@link #start(RunRequest, String)}, on the project the caller just loaded for it. */
  public RunInfo start(RunRequest request, String runId, LoadedProject project) {
    RunPlan plan = RunPlan.of(project, request);
    Limits runLimits =
        limits
            .with(project.project().concurrency(), "concurrency in grove.yml")
            .with(request.concurrency(), "--concurrency");
    RunExecution execution =
        new RunExecution(runId, project, plan, request.project().env(), services, runLimits);
    Entry entry = new Entry(execution, project.project().name(), plan.command());
    synchronized (runs) {
      runs.put(runId, entry);
      if (runs.size() > KEPT) {
        runs.entrySet().removeIf(e -> e.getValue().finishedAt != null && runs.size() > KEPT);
      }
    }
    execution
        .result()
        .whenComplete(
            (result, failure) -> {
              entry.finishedAt = System.currentTimeMillis();
              entry.execution = null;
            });
    execution.start();
    return info(runId, entry);
  }

  /** The run's result, once it finished. */
  public Optional<CompletableFuture<RunResult>> result(String runId) {
    return entry(runId).map(entry -> entry.result);
  }

  public Optional<RunInfo> get(String runId) {
    return entry(runId).map(entry -> info(runId, entry));
  }

  /** The kept runs, oldest first. */
  public List<RunInfo> list() {
    List<RunInfo> out = new ArrayList<>();
    synchronized (runs) {
      runs.forEach((id, entry) -> out.add(info(id, entry)));
    }
    return out;
  }

  /** Cancels a run; false when there is no such run. */
  public boolean cancel(String runId) {
    Optional<Entry> entry = entry(runId);
    entry.map(e -> e.execution).ifPresent(RunExecution::cancel);
    return entry.isPresent();
  }

  /** Runs not finished yet. */
  public int running() {
    synchronized (runs) {
      return (int) runs.values().stream().filter(entry -> entry.finishedAt == null).count();
    }
  }

  /** True while the run's execution (and so its loaded project) is still held. */
  boolean holdsExecution(String runId) {
    return entry(runId).map(entry -> entry.execution != null).orElse(false);
  }

  private Optional<Entry> entry(String runId) {
    synchronized (runs) {
      return Optional.ofNullable(runs.get(runId));
    }
  }

  private static RunInfo info(String runId, Entry entry) {
    CompletableFuture<RunResult> result = entry.result;
    RunResult done = result.isDone() ? result.join() : null;
    return new RunInfo(
        runId,
        entry.project,
        entry.command,
        done == null ? "running" : "finished",
        entry.startedAt,
        entry.finishedAt,
        done);
  }

  private byte[] randomBytes() {
    byte[] bytes = new byte[4];
    random.nextBytes(bytes);
    return bytes;
  }

  private static ExecutorService workerPool() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newCachedThreadPool(
        task -> {
          Thread thread = new Thread(task, "grove-action-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  private static ScheduledExecutorService timerPool() {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread thread = new Thread(task, "grove-action-timeouts");
          thread.setDaemon(true);
          return thread;
        });
  }
}
