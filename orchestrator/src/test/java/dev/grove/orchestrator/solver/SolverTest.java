package dev.grove.orchestrator.solver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.spi.ActionTypeRegistry;
import dev.grove.api.action.ActionKind;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.run.ActionResult;
import dev.grove.api.run.ActionState;
import dev.grove.api.run.RunInfo;
import dev.grove.api.run.RunRequest;
import dev.grove.api.run.RunResult;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.project.DefaultProjectService;
import dev.grove.orchestrator.router.ActionRouter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The solver alone: a registry holding only a fake action type (no processes, no cluster), so the
 * tests see the order of operations, aborts, cancellation and the limits and nothing else.
 */
class SolverTest {
  private final FakeActionType.Handler fake = new FakeActionType.Handler();
  private final ActionRouter router =
      new ActionRouter(
          new ActionTypeRegistry(
              List.of(
                  new FakeActionType(ActionKind.BUILD, fake),
                  new FakeActionType(ActionKind.DEPLOY, fake))),
          ActionRouter.Preparation.NONE);
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final RecordingEvents events = new RecordingEvents();
  private final Runs runs =
      new Runs(
          new DefaultProjectService(router), router, events, Limits.defaults(), workers, timers);

  @AfterEach
  void stopPools() {
    fake.release();
    workers.shutdownNow();
    timers.shutdownNow();
  }

  private RunInfo start(String command, List<String> names, Map<String, Integer> concurrency) {
    return runs.start(
        new RunRequest(
            new ProjectRequest(
                Fixtures.project("solver-fake").toString(), "/", null, Map.of(), Map.of()),
            command,
            names,
            false,
            false,
            false,
            concurrency));
  }

  private RunResult result(RunInfo info) throws Exception {
    return runs.result(info.runId()).orElseThrow().get(10, TimeUnit.SECONDS);
  }

  private static ActionState state(RunResult result, String ref) {
    return result.actions().stream()
        .filter(action -> action.ref().equals(ref))
        .map(ActionResult::state)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void statusComesFirstAndDependenciesAreDoneBeforeTheirDependants() throws Exception {
    RunResult result = result(start("deploy", List.of("edge"), Map.of()));

    assertThat(result.result()).isEqualTo("succeeded");
    assertThat(fake.calls())
        .containsExactly(
            "status build.base",
            "process build.base",
            "done build.base",
            "status deploy.app",
            "process deploy.app",
            "done deploy.app",
            "status deploy.edge",
            "process deploy.edge",
            "done deploy.edge");
  }

  @Test
  void aReadyActionIsNotProcessed() throws Exception {
    RunResult result = result(start("build", List.of("ready"), Map.of()));

    assertThat(state(result, "build.ready")).isEqualTo(ActionState.READY);
    assertThat(fake.calls()).containsExactly("status build.ready");
  }

  @Test
  void aFailureAbortsItsDependantsAndTheOtherBranchGoesOn() throws Exception {
    fake.fail("build.base");

    RunResult result = result(start("deploy", List.of("edge", "site"), Map.of()));

    assertThat(result.result()).isEqualTo("failed");
    assertThat(state(result, "build.base")).isEqualTo(ActionState.FAILED);
    assertThat(state(result, "deploy.app")).isEqualTo(ActionState.ABORTED);
    assertThat(state(result, "deploy.edge")).isEqualTo(ActionState.ABORTED);
    assertThat(state(result, "deploy.site")).isEqualTo(ActionState.SUCCEEDED);
    assertThat(fake.calls()).noneMatch(call -> call.endsWith("deploy.app"));
    assertThat(fake.calls()).noneMatch(call -> call.endsWith("deploy.edge"));
  }

  @Test
  void cancelStopsWhatRunsAndCancelsWhatWaitsForIt() throws Exception {
    fake.hold("build.base");
    RunInfo info = start("deploy", List.of("edge"), Map.of());
    assertThat(fake.awaitHeld()).isTrue();

    runs.cancel(info.runId());
    RunResult result = result(info);

    assertThat(result.result()).isEqualTo("cancelled");
    assertThat(state(result, "build.base")).isEqualTo(ActionState.CANCELLED);
    assertThat(state(result, "deploy.app")).isEqualTo(ActionState.CANCELLED);
    // what waits on a cancelled action is aborted by it, as on any unsuccessful one
    assertThat(state(result, "deploy.edge")).isEqualTo(ActionState.ABORTED);
    assertThat(fake.calls()).noneMatch(call -> call.contains("deploy."));
  }

  @Test
  void independentActionsRunTogetherWithinTheKindsLimit() throws Exception {
    List.of("build.w1", "build.w2", "build.w3", "build.w4", "build.w5").forEach(fake::hold);
    RunInfo info = start("build", List.of("w1", "w2", "w3", "w4", "w5"), Map.of("build", 2));
    assertThat(fake.awaitHeld()).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (fake.mostAtOnce() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }

    fake.release();
    RunResult result = result(info);

    assertThat(result.result()).isEqualTo("succeeded");
    assertThat(fake.mostAtOnce()).isEqualTo(2);
    assertThat(fake.calls().stream().filter(call -> call.startsWith("process "))).hasSize(5);
  }
}
