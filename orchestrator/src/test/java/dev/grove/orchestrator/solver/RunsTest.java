package dev.grove.orchestrator.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.api.event.EventPayload;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.run.ActionResult;
import dev.grove.api.run.ActionState;
import dev.grove.api.run.RunInfo;
import dev.grove.api.run.RunRequest;
import dev.grove.api.run.RunResult;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.project.DefaultProjectService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The solver on real exec actions: real processes, real timing. */
class RunsTest {
  private final RecordingEvents events = new RecordingEvents();
  private final Runs runs =
      new Runs(
          new DefaultProjectService(Fixtures.router()),
          Fixtures.router(),
          events,
          Limits.defaults());

  private RunRequest request(String fixture, String command, List<String> names, boolean force) {
    return request(fixture, command, names, force, Map.of());
  }

  private RunRequest request(
      String fixture,
      String command,
      List<String> names,
      boolean force,
      Map<String, Integer> concurrency) {
    return new RunRequest(
        new ProjectRequest(
            Fixtures.project(fixture).toString(),
            "/",
            null,
            Map.of(),
            Map.of("PATH", System.getenv("PATH"))),
        command,
        names,
        force,
        false,
        false,
        concurrency);
  }

  private RunResult run(Runs on, RunRequest request) throws Exception {
    RunInfo info = on.start(request);
    return on.result(info.runId()).orElseThrow().get(30, TimeUnit.SECONDS);
  }

  private static ActionResult action(RunResult result, String ref) {
    return result.actions().stream().filter(a -> a.ref().equals(ref)).findFirst().orElseThrow();
  }

  @Test
  void aFinishedRunNoLongerHoldsItsLoadedProject() throws Exception {
    RunInfo info = runs.start(request("run-failure", "deploy", List.of(), false));
    RunResult result = runs.result(info.runId()).orElseThrow().get(30, TimeUnit.SECONDS);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (runs.holdsExecution(info.runId()) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(runs.holdsExecution(info.runId())).isFalse();
    assertThat(runs.get(info.runId()).orElseThrow().result()).isEqualTo(result);
    assertThat(runs.running()).isZero();
  }

  @Test
  void aFailedBuildAbortsItsDependantsAndOtherBranchesGoOn() throws Exception {
    RunResult result = run(runs, request("run-failure", "deploy", List.of(), false));
    assertThat(result.result()).isEqualTo("failed");
    assertThat(action(result, "build.broken").state()).isEqualTo(ActionState.FAILED);
    assertThat(action(result, "build.broken").error().code()).isEqualTo("COMMAND_FAILED");
    assertThat(action(result, "deploy.api").state()).isEqualTo(ActionState.ABORTED);
    assertThat(action(result, "deploy.api").error().message()).contains("build.broken");
    assertThat(action(result, "deploy.web").state()).isEqualTo(ActionState.ABORTED);
    assertThat(action(result, "build.docs").state()).isEqualTo(ActionState.SUCCEEDED);
    assertThat(action(result, "deploy.site").state()).isEqualTo(ActionState.SUCCEEDED);
    assertThat(events.states("build.docs"))
        .containsExactly("pending", "checking", "processing", "succeeded");
  }

  @Test
  void logLinesArriveInOrderTiedToTheirAction() throws Exception {
    run(runs, request("run-failure", "build", List.of("docs"), false));
    List<String> lines =
        events.of(EventPayload.Log.class, "build.docs").stream()
            .map(EventPayload.Log::line)
            .toList();
    assertThat(lines).containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");
    assertThat(events.of(EventPayload.Log.class, "build.docs"))
        .allMatch(log -> "stdout".equals(log.stream()));
    assertThat(events.all().get(0).type()).isEqualTo("runStarted");
    assertThat(events.all().get(events.all().size() - 1).type()).isEqualTo("runFinished");
  }

  @Test
  void runtimeOutputsOfADependencyAreResolvedAfterItRan() throws Exception {
    RunResult result = run(runs, request("run-outputs", "deploy", List.of("use"), false));
    assertThat(result.result()).isEqualTo("succeeded");
    assertThat(events.of(EventPayload.Log.class, "deploy.use").get(0).line())
        .startsWith("got generated-42 at v-");
  }

  @Test
  void readyActionsAreNotProcessedUnlessForced() throws Exception {
    RunResult first = run(runs, request("run-outputs", "build", List.of("cached"), false));
    assertThat(action(first, "build.cached").state()).isEqualTo(ActionState.READY);
    assertThat(events.of(EventPayload.Log.class, "build.cached")).isEmpty();
    RunResult forced = run(runs, request("run-outputs", "build", List.of("cached"), true));
    assertThat(action(forced, "build.cached").state()).isEqualTo(ActionState.SUCCEEDED);
    assertThat(events.of(EventPayload.Log.class, "build.cached"))
        .extracting(EventPayload.Log::line)
        .contains("building");
  }

  @Test
  void anActionPastItsTimeoutFailsWithTimeout() throws Exception {
    long started = System.nanoTime();
    RunResult result = run(runs, request("run-slow", "deploy", List.of("sleepy"), false));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(action(result, "deploy.sleepy").state()).isEqualTo(ActionState.FAILED);
    assertThat(action(result, "deploy.sleepy").error().code()).isEqualTo("TIMEOUT");
  }

  @Test
  void cancelStopsTheProcessTreeWithinTwoSeconds() throws Exception {
    RunInfo info = runs.start(request("run-slow", "deploy", List.of("tree"), false));
    while (events.of(EventPayload.Log.class, "deploy.tree").isEmpty()) {
      Thread.sleep(20);
    }
    List<ProcessHandle> sleeps =
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().orElse("").contains("sleep 60"))
            .toList();
    assertThat(sleeps).isNotEmpty();
    long started = System.nanoTime();
    runs.cancel(info.runId());
    RunResult result = runs.result(info.runId()).orElseThrow().get(5, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    assertThat(result.result()).isEqualTo("cancelled");
    assertThat(action(result, "deploy.tree").state()).isEqualTo(ActionState.CANCELLED);
    Thread.sleep(200);
    assertThat(sleeps).noneMatch(RunsTest::running);
  }

  /** Alive and not a zombie (this sandbox's init reaps orphans slowly). */
  private static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat =
          java.nio.file.Files.readString(
              java.nio.file.Path.of("/proc", Long.toString(process.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** The most Builds processing at once in the recorded events. */
  private int mostBuildsAtOnce() {
    int running = 0;
    int most = 0;
    for (var event : events.all()) {
      if (!(event.payload() instanceof EventPayload.ActionStatus status)
          || !event.ref().startsWith("build.")) {
        continue;
      }
      if (status.state() == ActionState.CHECKING) {
        most = Math.max(most, ++running);
      } else if (status.state() == ActionState.SUCCEEDED) {
        running--;
      }
    }
    return most;
  }

  @Test
  void theProjectsConcurrencyIsHonouredAndIndependentActionsRunTogether() throws Exception {
    RunResult result = run(runs, request("run-wide", "deploy", List.of(), false));
    assertThat(result.result()).isEqualTo("succeeded");
    // Two at a time: never more (the limit), and not one by one (independent actions overlap).
    // The wall time itself is measured by bench/solver.sh, not asserted here.
    assertThat(mostBuildsAtOnce()).isEqualTo(2);
  }

  @Test
  void aRunsConcurrencyOverridesTheProjects() throws Exception {
    RunResult result =
        run(runs, request("run-wide", "deploy", List.of(), false, Map.of("build", 3)));
    assertThat(result.result()).isEqualTo("succeeded");
    assertThat(mostBuildsAtOnce()).isEqualTo(3);
  }

  @Test
  void twoRunsNeedingTheSameActionRunItOnce() throws Exception {
    RunInfo first = runs.start(request("run-slow", "deploy", List.of("second"), false));
    RunInfo second = runs.start(request("run-slow", "deploy", List.of("second"), false));
    RunResult a = runs.result(first.runId()).orElseThrow().get(10, TimeUnit.SECONDS);
    RunResult b = runs.result(second.runId()).orElseThrow().get(10, TimeUnit.SECONDS);
    assertThat(a.result()).isEqualTo("succeeded");
    assertThat(b.result()).isEqualTo("succeeded");
    assertThat(events.of(EventPayload.Log.class, "deploy.second")).hasSize(1);
    // whichever run reached it first ran it; the other reused that run's work
    assertThat(events.of(EventPayload.ActionStatus.class, "deploy.second"))
        .anyMatch(
            status ->
                first.runId().equals(status.reusedFrom())
                    || second.runId().equals(status.reusedFrom()));
  }

  @Test
  void unknownNamesAreRejectedBeforeARunStarts() {
    assertThatThrownBy(() -> runs.start(request("run-failure", "deploy", List.of("apii"), false)))
        .isInstanceOfSatisfying(
            GroveException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo("UNKNOWN_ACTION");
              assertThat(e.error().suggestion()).isEqualTo("Did you mean `api`?");
            });
    assertThat(runs.list()).isEmpty();
  }

  @Test
  void statusChecksWithoutProcessing() throws Exception {
    RunResult result = run(runs, request("run-outputs", "status", List.of(), false));
    assertThat(action(result, "build.cached").state()).isEqualTo(ActionState.READY);
    assertThat(action(result, "build.gen").state()).isEqualTo(ActionState.PENDING);
    assertThat(events.of(EventPayload.Log.class, "build.gen")).isEmpty();
  }
}
