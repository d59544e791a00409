package dev.grove.orchestrator.workflow;

import dev.grove.actions.spi.Cancellation;
import dev.grove.api.error.ApiError;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.event.EventPayload;
import dev.grove.api.run.RunResult;
import dev.grove.api.workflow.WorkflowResult;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.solver.RunEvents;
import dev.grove.orchestrator.template.TemplateValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One workflow (or custom command) run: its steps one after another, as Garden's {@code workflow}
 * command runs them — {@code skip}, {@code when} ({@link StepRules}), each step's templates
 * resolved just before it runs with the results of the steps before it ({@code ${steps.NAME.log}},
 * {@code ${steps.NAME.outputs.*}}), Garden's events, and a failure of any step failing the whole.
 */
final class WorkflowExecution {

  /** What a step does, given the template context it runs in (with {@code steps}). */
  @FunctionalInterface
  interface Body {
    CompletableFuture<StepOutcome> run(Map<String, Object> context);
  }

  /** One step, its {@code skip}, {@code when} and {@code continueOnError} resolved. */
  record Step(
      int index,
      String name,
      String description,
      String when,
      boolean skip,
      boolean continueOnError,
      Body body) {}

  private final String runId;
  private final String kind;
  private final String name;
  private final String project;
  private final List<Step> steps;
  private final Map<String, Object> context;
  private final RunEvents events;
  private final Cancellation cancellation;
  private final List<String> whens;
  private final Set<Integer> failed = new HashSet<>();
  private final Map<String, Object> done = new LinkedHashMap<>();
  private final WorkflowResult.StepResult[] results;
  private final CompletableFuture<WorkflowResult> result = new CompletableFuture<>();
  private Integer programExit;

  WorkflowExecution(
      String runId,
      String kind,
      String name,
      String project,
      List<Step> steps,
      Map<String, Object> context,
      RunEvents events,
      Cancellation cancellation) {
    this.runId = runId;
    this.kind = kind;
    this.name = name;
    this.project = project;
    this.steps = List.copyOf(steps);
    this.context = context;
    this.events = events;
    this.cancellation = cancellation;
    this.whens = this.steps.stream().map(Step::when).toList();
    this.results = new WorkflowResult.StepResult[this.steps.size()];
  }

  CompletableFuture<WorkflowResult> result() {
    return result;
  }

  String runId() {
    return runId;
  }

  /** Runs the steps; the result completes when the last one ended. */
  void start() {
    publish(
        new EventPayload.WorkflowRunning(
            kind, name, project, steps.stream().map(Step::name).toList()));
    from(0)
        .whenComplete(
            (ignored, failure) -> {
              if (failure != null) {
                // A bug in a step body: the workflow still ends, saying so.
                for (int i = 0; i < results.length; i++) {
                  if (results[i] == null) {
                    results[i] = step(i, "failed", null, null, internal(failure));
                    failed.add(i);
                  }
                }
              }
              finish();
            });
  }

  void cancel() {
    cancellation.cancel(Cancellation.Reason.CANCELLED);
  }

  private CompletableFuture<Void> from(int index) {
    if (index == steps.size()) {
      return CompletableFuture.completedFuture(null);
    }
    Step step = steps.get(index);
    if (cancellation.isCancelled()) {
      results[index] = step(index, "cancelled", null, null, null);
      return from(index + 1);
    }
    if (StepRules.dropped(index, whens, failed)) {
      results[index] = step(index, "dropped", null, null, null);
      return from(index + 1);
    }
    if (step.skip()) {
      publish(new EventPayload.WorkflowStepSkipped(index, step.name()));
      done.put(step.name(), stepContext(index, Map.of(), ""));
      results[index] = step(index, "skipped", null, null, null);
      return from(index + 1);
    }
    publish(new EventPayload.WorkflowStepProcessing(index, step.name(), step.description()));
    long started = System.currentTimeMillis();
    CompletableFuture<StepOutcome> outcome;
    try {
      outcome = step.body().run(contextFor(index));
    } catch (GroveException e) {
      outcome = CompletableFuture.completedFuture(StepOutcome.failed(e.error()));
    }
    return outcome
        .exceptionally(
            failure ->
                StepOutcome.failed(
                    unwrap(failure) instanceof GroveException grove
                        ? grove.error()
                        : internal(failure)))
        .thenCompose(
            ended -> {
              record(index, step, ended, System.currentTimeMillis() - started);
              return from(index + 1);
            });
  }

  private void record(int index, Step step, StepOutcome outcome, long durationMs) {
    if (outcome.succeeded()) {
      done.put(step.name(), stepContext(index, outcome.outputs(), outcome.log()));
      publish(new EventPayload.WorkflowStepComplete(index, step.name(), durationMs));
      results[index] = step(index, "succeeded", durationMs, outcome.runId(), null);
      return;
    }
    boolean cancelled = cancellation.isCancelled();
    ApiError error =
        cancelled && outcome.error() == null
            ? ApiError.of(ErrorCodes.ABORTED, "cancelled", null)
            : outcome.error();
    publish(
        new EventPayload.WorkflowStepError(
            index,
            step.name(),
            durationMs,
            error == null ? null : EventPayload.ActionError.of(error)));
    results[index] =
        step(index, cancelled ? "cancelled" : "failed", durationMs, outcome.runId(), error);
    if (step.continueOnError() && !cancelled) {
      // As later Garden versions: the failure is shown, later steps run as after a success.
      done.put(step.name(), stepContext(index, outcome.outputs(), outcome.log()));
      return;
    }
    failed.add(index);
    if (programExit == null && outcome.exitCode() != null) {
      programExit = outcome.exitCode();
    }
  }

  private void finish() {
    String state =
        cancellation.isCancelled()
            ? RunResult.CANCELLED
            : failed.isEmpty() ? RunResult.SUCCEEDED : RunResult.FAILED;
    int exitCode = state.equals(RunResult.SUCCEEDED) ? 0 : 1;
    if (kind.equals(Workflows.COMMAND) && state.equals(RunResult.FAILED) && programExit != null) {
      exitCode = programExit; // Garden's custom command ends with its exec's code
    }
    WorkflowResult done = new WorkflowResult(runId, kind, name, state, exitCode, List.of(results));
    publish(
        state.equals(RunResult.SUCCEEDED)
            ? new EventPayload.WorkflowComplete(done)
            : new EventPayload.WorkflowError(done));
    result.complete(done);
  }

  /**
   * The workflow's context with {@code steps}: those that ran, and why the others cannot be used.
   */
  private Map<String, Object> contextFor(int index) {
    String current = steps.get(index).name();
    Map<String, Object> stepsContext = new LinkedHashMap<>();
    for (Step other : steps) {
      String message =
          other.index() > index
              ? "Step "
                  + other.name()
                  + " is referenced in a template for step "
                  + current
                  + ", but step "
                  + other.name()
                  + " is later in the execution order. Only previous steps in the workflow can be"
                  + " referenced."
              : other.index() == index
                  ? "Step "
                      + current
                      + " references itself in a template. Only previous steps in the workflow"
                      + " can be referenced."
                  : "Step " + other.name() + " did not complete (it failed or was not run).";
      stepsContext.put(other.name(), new TemplateValues.Unavailable(message));
    }
    stepsContext.putAll(done);
    Map<String, Object> out = new LinkedHashMap<>(context);
    out.put("steps", stepsContext);
    return out;
  }

  private static Map<String, Object> stepContext(
      int index, Map<String, Object> outputs, String log) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("number", index + 1);
    entry.put("outputs", new LinkedHashMap<>(outputs));
    entry.put("log", log);
    return entry;
  }

  private WorkflowResult.StepResult step(
      int index, String state, Long durationMs, String stepRunId, ApiError error) {
    return new WorkflowResult.StepResult(
        index, steps.get(index).name(), state, durationMs, stepRunId, error);
  }

  private void publish(EventPayload payload) {
    events.publish(runId, null, payload);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof java.util.concurrent.CompletionException
            || current instanceof java.util.concurrent.ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static ApiError internal(Throwable failure) {
    Throwable cause = unwrap(failure);
    return ApiError.of(
        ErrorCodes.INTERNAL,
        "unexpected " + cause.getClass().getSimpleName() + ": " + cause.getMessage(),
        "This is a bug in Grove; the daemon's log has the details.");
  }

  /** The results so far (for {@code GET}), in step order; unfinished steps are left out. */
  List<WorkflowResult.StepResult> resultsSoFar() {
    List<WorkflowResult.StepResult> out = new ArrayList<>();
    for (WorkflowResult.StepResult r : results) {
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }
}
