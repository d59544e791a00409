package dev.grove.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.api.event.ActionInfo;
import dev.grove.api.event.EventPayload;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.run.RunInfo;
import dev.grove.api.workflow.CommandRequest;
import dev.grove.api.workflow.WorkflowRequest;
import dev.grove.api.workflow.WorkflowResult;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.project.DefaultProjectService;
import dev.grove.orchestrator.solver.Limits;
import dev.grove.orchestrator.solver.RunEvents;
import dev.grove.orchestrator.solver.Runs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Workflows and custom commands on the workflows-basic fixture: real scripts, real runs. */
class WorkflowsTest {
  private static final String FIXTURE = "garden-compat/workflows-basic";

  /** Every event, for assertions. */
  private static final class Recorded implements RunEvents {
    record Event(String runId, EventPayload payload) {}

    private final List<Event> events = new ArrayList<>();

    @Override
    public synchronized void publish(String runId, ActionInfo action, EventPayload payload) {
      events.add(new Event(runId, payload));
    }

    synchronized List<Event> of(String runId) {
      return events.stream().filter(e -> runId.equals(e.runId())).toList();
    }

    List<String> types(String runId) {
      return of(runId).stream().map(e -> e.payload().type()).toList();
    }

    List<String> lines(String runId) {
      return of(runId).stream()
          .filter(e -> e.payload() instanceof EventPayload.Log)
          .map(e -> ((EventPayload.Log) e.payload()).line())
          .toList();
    }
  }

  private final Recorded events = new Recorded();
  private final DefaultProjectService projects = new DefaultProjectService(Fixtures.router());
  private final Runs runs = new Runs(projects, Fixtures.router(), events, Limits.defaults());
  private final Workflows workflows =
      new Workflows(
          projects,
          runs,
          events,
          new ProcessRunner(),
          Executors.newCachedThreadPool(
              task -> {
                Thread thread = new Thread(task, "workflows-test");
                thread.setDaemon(true);
                return thread;
              }),
          Duration.ofSeconds(60));

  private static ProjectRequest project() {
    return new ProjectRequest(
        Fixtures.project(FIXTURE).toString(),
        "/",
        null,
        Map.of(),
        Map.of("PATH", System.getenv("PATH"), "C", "shell"));
  }

  private WorkflowResult workflow(String name) throws Exception {
    RunInfo info = workflows.start(new WorkflowRequest(project(), name));
    return workflows.result(info.runId()).orElseThrow().get(30, TimeUnit.SECONDS);
  }

  private WorkflowResult command(String name, String... args) throws Exception {
    RunInfo info = workflows.start(new CommandRequest(project(), name, List.of(args)));
    return workflows.result(info.runId()).orElseThrow().get(30, TimeUnit.SECONDS);
  }

  private static List<String> states(WorkflowResult result) {
    return result.steps().stream().map(WorkflowResult.StepResult::state).toList();
  }

  @Test
  void scriptAndGroveCommandStepsRunInOrderAndLaterStepsSeeEarlierResults() throws Exception {
    WorkflowResult result = workflow("build-and-report");

    assertThat(result.result()).isEqualTo("succeeded");
    assertThat(result.exitCode()).isZero();
    assertThat(states(result)).containsExactly("succeeded", "succeeded", "succeeded", "skipped");
    assertThat(result.steps().get(1).runId()).isEqualTo(result.runId() + ".2");
    // stdout and stderr are two pipes: which line of the script arrives first is not fixed
    List<String> lines = events.lines(result.runId());
    assertThat(lines).hasSize(4);
    assertThat(lines.subList(0, 2)).containsExactlyInAnyOrder("preparing in local", "to stderr");
    // ${steps.prepare.log} and ${steps.step-2.outputs.success}
    assertThat(String.join("\n", lines.subList(2, 4)))
        .isIn(
            "prepared=preparing in local\nto stderr success=true",
            "prepared=to stderr\npreparing in local success=true");
    assertThat(events.types(result.runId()))
        .containsSubsequence(
            "workflowRunning",
            "workflowStepProcessing",
            "workflowStepComplete",
            "workflowStepProcessing",
            "workflowStepComplete",
            "workflowStepProcessing",
            "workflowStepComplete",
            "workflowStepSkipped",
            "workflowComplete");
    // the build step's own run, under the workflow's id
    assertThat(events.types(result.runId() + ".2")).contains("runStarted", "runFinished");
    assertThat(events.lines(result.runId() + ".2")).containsExactly("built api");
  }

  @Test
  void aFailedStepDropsOrdinaryStepsRunsOnErrorAndAlwaysStepsAndExitsWithOne() throws Exception {
    WorkflowResult result = workflow("failing");

    assertThat(result.result()).isEqualTo("failed");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(states(result)).containsExactly("failed", "dropped", "succeeded", "succeeded");
    assertThat(result.steps().get(0).error().message())
        .isEqualTo("step 1 (step-1) exited with code 3");
    assertThat(events.lines(result.runId()))
        .containsExactly("about to fail", "cleaning up after the failure", "always runs");
    assertThat(events.types(result.runId()))
        .contains("workflowStepError")
        .last()
        .isEqualTo("workflowError");
  }

  @Test
  void aStepNamingACommandGroveDoesNotHaveFailsNamingTheStep() throws Exception {
    WorkflowResult result = workflow("unknown-command");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.steps().get(0).error().message())
        .isEqualTo("step 1 (step-1) runs `garden exec api ls`, a command Grove does not have.");
    assertThat(result.steps().get(0).error().suggestion())
        .startsWith("A step can run these Grove commands: build, deploy,");
  }

  @Test
  void stepEnvVarsWinOverTheWorkflowsWhichWinOverTheShells() throws Exception {
    WorkflowResult result = workflow("env-precedence");

    assertThat(events.lines(result.runId())).containsExactly("A=workflow B=step C=shell");
  }

  @Test
  void aCancelStopsTheRunningScriptAndRunsNoFurtherStep() throws Exception {
    RunInfo info = workflows.start(new WorkflowRequest(project(), "slow"));
    long started = System.nanoTime();
    // once the script step runs, cancel it
    while (events.types(info.runId()).stream().noneMatch("workflowStepProcessing"::equals)) {
      assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(20));
      Thread.sleep(10);
    }
    assertThat(workflows.cancel(info.runId())).isTrue();

    WorkflowResult result = workflows.result(info.runId()).orElseThrow().get(10, TimeUnit.SECONDS);
    assertThat(result.result()).isEqualTo("cancelled");
    assertThat(states(result)).containsExactly("cancelled", "cancelled");
    assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(20));
  }

  @Test
  void anUnknownWorkflowIsABadRequestListingTheProjectsWorkflows() {
    assertThatThrownBy(() -> workflows.start(new WorkflowRequest(project(), "build-and-reprot")))
        .isInstanceOf(GroveException.class)
        .hasMessage("The project has no workflow `build-and-reprot`.")
        .satisfies(
            e ->
                assertThat(((GroveException) e).error().suggestion())
                    .isEqualTo("Did you mean `build-and-report`?"));
  }

  @Test
  void aCustomCommandRunsItsExecWithArgsAndOptsThenItsGardenCommand() throws Exception {
    WorkflowResult result = command("greet", "world", "--loud", "extra");

    assertThat(result.exitCode()).isZero();
    assertThat(result.steps())
        .extracting(WorkflowResult.StepResult::name)
        .containsExactly("exec", "gardenCommand");
    assertThat(events.lines(result.runId())).containsExactly("hello world! rest=extra");
    assertThat(events.lines(result.runId() + ".2")).containsExactly("built api");
  }

  @Test
  void aCustomCommandWhoseExecFailsEndsWithThatCodeAndSkipsItsGardenCommand() throws Exception {
    WorkflowResult result = command("exit-with", "7");

    assertThat(result.result()).isEqualTo("failed");
    assertThat(result.exitCode()).isEqualTo(7);
    assertThat(states(result)).containsExactly("failed", "dropped");
    assertThat(events.lines(result.runId())).containsExactly("exiting with 7");
  }
}
