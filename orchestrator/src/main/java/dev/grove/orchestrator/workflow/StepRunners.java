package dev.grove.orchestrator.workflow;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import dev.grove.actions.spi.LogSink;
import dev.grove.api.action.ActionKind;
import dev.grove.api.error.ApiError;
import dev.grove.api.event.EventPayload;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.run.ActionResult;
import dev.grove.api.run.RunResult;
import dev.grove.orchestrator.config.ConfigCodes;
import dev.grove.orchestrator.project.ProjectService;
import dev.grove.orchestrator.solver.RunEvents;
import dev.grove.orchestrator.solver.Runs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * What steps do: run a program (a {@code script} step's bash, a custom command's {@code exec}), its
 * lines streamed as {@code log} events of the workflow's run; or start a Grove run (a {@code
 * command} step) under {@code <workflow run>.<step number>} and wait for it without blocking.
 */
final class StepRunners {
  private final ProjectService projects;
  private final Runs runs;
  private final RunEvents events;
  private final ProcessRunner processes;
  private final Executor workers;
  private final Duration timeout;

  /** The log lines of the Grove runs command steps started, until the step takes them. */
  private final Map<String, StringBuilder> runLogs = new ConcurrentHashMap<>();

  StepRunners(
      ProjectService projects,
      Runs runs,
      RunEvents events,
      ProcessRunner processes,
      Executor workers,
      Duration timeout) {
    this.projects = projects;
    this.runs = runs;
    this.events = events;
    this.processes = processes;
    this.workers = workers;
    this.timeout = timeout;
    runs.listen(
        (runId, action, payload) -> {
          if (payload instanceof EventPayload.Log log && runId != null) {
            StringBuilder lines = runLogs.get(runId);
            if (lines != null) {
              synchronized (lines) {
                lines.append(log.line()).append('\n');
              }
            }
          }
        });
  }

  /**
   * Runs {@code argv} in {@code root} with exactly {@code env}; a non-zero exit fails the step with
   * its code. Outputs: {@code stdout}, {@code stderr}, {@code exitCode}.
   */
  CompletableFuture<StepOutcome> program(
      String workflowRunId,
      String label,
      List<String> argv,
      Path root,
      Map<String, String> env,
      Cancellation cancellation) {
    LogSink sink =
        (stream, line) -> events.publish(workflowRunId, null, new EventPayload.Log(stream, line));
    return CompletableFuture.supplyAsync(
        () -> {
          ProcessRunner.Result result;
          try {
            result = processes.run(label, argv, root, env, sink, cancellation, timeout);
          } catch (ActionException e) {
            return StepOutcome.failed(ApiError.of(e.code(), e.getMessage(), e.suggestion()));
          }
          Map<String, Object> outputs = new LinkedHashMap<>();
          outputs.put("stdout", result.stdout());
          outputs.put("stderr", result.stderr());
          outputs.put("exitCode", result.exitCode());
          ApiError error =
              result.succeeded()
                  ? null
                  : ApiError.of(
                      ConfigCodes.STEP_FAILED,
                      label + " exited with code " + result.exitCode(),
                      "Its output is above; fix what it reports and run again.");
          return new StepOutcome(
              result.succeeded(), outputs, result.log(), error, result.exitCode(), null);
        },
        workers);
  }

  /**
   * Runs a Grove command line ({@link GroveCommandLine}) as the run {@code stepRunId}; outputs as
   * Garden's command results: {@code success}, {@code aborted}, and per kind ({@code build}, {@code
   * deploy}, ... with Garden's aliases) each action's {@code state}, {@code version}, {@code
   * durationMs}.
   */
  CompletableFuture<StepOutcome> grove(
      String label,
      List<String> words,
      ProjectRequest project,
      String stepRunId,
      Cancellation cancellation) {
    GroveCommandLine line = GroveCommandLine.parse(words, project, label);
    if (line.request() == null) {
      return CompletableFuture.supplyAsync(
          () -> {
            projects.validate(project);
            return new StepOutcome(true, Map.of("success", true), "", null, null, null);
          },
          workers);
    }
    runLogs.put(stepRunId, new StringBuilder());
    return CompletableFuture.supplyAsync(
            () -> {
              runs.start(line.request(), stepRunId);
              cancellation.onCancel(() -> runs.cancel(stepRunId));
              return runs.result(stepRunId).orElseThrow();
            },
            workers)
        .thenCompose(future -> future)
        .handle(
            (result, failure) -> {
              StringBuilder logged = runLogs.remove(stepRunId);
              if (failure != null) {
                throw failure instanceof RuntimeException e
                    ? e
                    : new java.util.concurrent.CompletionException(failure);
              }
              return outcome(label, result, logged == null ? "" : logged.toString(), stepRunId);
            });
  }

  private static StepOutcome outcome(String label, RunResult result, String log, String runId) {
    boolean success = result.result().equals(RunResult.SUCCEEDED);
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("success", success);
    outputs.put("aborted", result.result().equals(RunResult.CANCELLED));
    Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
    for (ActionKind kind : ActionKind.values()) {
      byKind.put(kind.refPrefix(), new LinkedHashMap<>());
    }
    for (ActionResult action : result.actions()) {
      int dot = action.ref().indexOf('.');
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("state", action.state().wireName());
      entry.put("version", action.version());
      entry.put("durationMs", action.durationMs());
      Optional.ofNullable(byKind.get(action.ref().substring(0, dot)))
          .ifPresent(kind -> kind.put(action.ref().substring(dot + 1), entry));
    }
    byKind.forEach(outputs::put);
    // Garden's aliases of the same maps
    outputs.put("builds", byKind.get("build"));
    outputs.put("deployments", byKind.get("deploy"));
    outputs.put("tests", byKind.get("test"));
    outputs.put("tasks", byKind.get("run"));
    ApiError error = null;
    if (!success) {
      long bad = result.actions().stream().filter(a -> !a.state().isSuccess()).count();
      ApiError first =
          result.actions().stream()
              .map(ActionResult::error)
              .filter(java.util.Objects::nonNull)
              .findFirst()
              .orElse(null);
      error =
          ApiError.of(
              ConfigCodes.STEP_FAILED,
              label
                  + ": run "
                  + runId
                  + " "
                  + result.result()
                  + " ("
                  + bad
                  + " action(s) not done)"
                  + (first == null ? "" : ": " + first.message()),
              first == null || first.suggestion() == null
                  ? "See the run's actions above."
                  : first.suggestion());
    }
    return new StepOutcome(success, outputs, log, error, null, runId);
  }
}
