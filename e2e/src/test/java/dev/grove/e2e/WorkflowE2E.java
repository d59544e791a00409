package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workflows and custom Commands through the real CLI and daemon processes, on the workflows-basic
 * fixture (exec Builds only: no cluster): steps live, exit codes as Garden's.
 */
class WorkflowE2E {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURE =
      Path.of("../orchestrator/src/test/resources/projects/garden-compat/workflows-basic")
          .toAbsolutePath()
          .normalize();

  @TempDir static Path dir;
  private static GroveProcess grove;

  @BeforeAll
  static void setUp() throws Exception {
    Path project = GroveProcess.copyTree(FIXTURE, dir.resolve("project"));
    grove = new GroveProcess(Files.createDirectories(dir.resolve("grove-home")), project);
    // The daemon's first start (on a loaded machine it may outlast the CLI's wait: then the
    // next command finds it up).
    GroveProcess.Result started = grove.run("validate");
    for (int attempt = 1; started.exitCode() == 3 && attempt < 4; attempt++) {
      started = grove.run("validate");
    }
    assertThat(started.exitCode()).as(started.err()).isZero();
  }

  @AfterAll
  static void tearDown() throws Exception {
    grove.stopDaemon();
  }

  @Test
  void aWorkflowRunsItsScriptAndBuildStepsLiveAndExitsZero() throws Exception {
    GroveProcess.Result result = grove.run("workflow", "build-and-report");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("Running step 1/4")
        .contains("  | preparing in local")
        .contains("  ! to stderr")
        .contains("Running step 2/4 — Build the API")
        .contains("build.api succeeded")
        .contains("Skipping step 4/4")
        .contains("✔ Workflow build-and-report completed successfully.");
    // ${steps.prepare.log} is both streams in arrival order: stdout's and stderr's lines may
    // come either way round from two pipes, so step 3 prints them in either order.
    String step3 = result.out().substring(result.out().indexOf("Running step 3/4"));
    assertThat(step3.substring(0, step3.indexOf("Step 3/4 completed")))
        .contains("  | prepared=")
        .contains("preparing in local")
        .contains("to stderr");
  }

  @Test
  void aFailedStepExitsOneAfterItsOnErrorAndAlwaysSteps() throws Exception {
    GroveProcess.Result result = grove.run("workflow", "failing");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(result.out())
        .contains("Step 1/4 failed")
        .contains("step 1 (step-1) exited with code 3")
        .doesNotContain("not run")
        .contains("cleaning up after the failure")
        .contains("always runs")
        .contains("✖ Workflow failing failed: 1 step failed.");
  }

  @Test
  void aStepNamingACommandGroveDoesNotHaveFailsNamingIt() throws Exception {
    GroveProcess.Result result = grove.run("workflow", "unknown-command");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out())
        .contains("step 1 (step-1) runs `garden exec api ls`, a command Grove does not have.");
  }

  @Test
  void anUnknownWorkflowExitsTwo() throws Exception {
    GroveProcess.Result result = grove.run("workflow", "nope");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("The project has no workflow `nope`.");
  }

  @Test
  void aCustomCommandRunsAsGardenNamesItWithItsArgsAndOpts() throws Exception {
    GroveProcess.Result result = grove.run("greet", "world", "--loud", "extra");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("  | hello world! rest=extra")
        .contains("build.api succeeded")
        .contains("✔ Command greet completed successfully.");
  }

  @Test
  void runCommandAlwaysRunsItAndJsonlEndsWithTheResult() throws Exception {
    GroveProcess.Result result = grove.run("run-command", "greet", "you", "--output", "jsonl");

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"workflowStepProcessing\""));
    JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(last.get("kind").asText()).isEqualTo("command");
    assertThat(last.get("result").asText()).isEqualTo("succeeded");
    assertThat(last.get("steps").size()).isEqualTo(2);
  }

  @Test
  void aCustomCommandWhoseExecFailsExitsWithItsCode() throws Exception {
    GroveProcess.Result result = grove.run("exit-with", "7");

    assertThat(result.exitCode()).isEqualTo(7);
    assertThat(result.out()).contains("  | exiting with 7").doesNotContain("build.api");
  }

  @Test
  void aNameThatIsNeitherGrovesNorTheProjectsIsAnUnknownCommand() throws Exception {
    GroveProcess.Result result = grove.run("biuld");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("unknown command 'biuld'").contains("Did you mean `build`?");
  }

  @Test
  void ctrlCCancelsTheWorkflowAndStopsItsScript() throws Exception {
    Path out = dir.resolve("slow.out");
    Process cli = grove.start(out, "workflow", "slow");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(out) || !Files.readString(out).contains("Running step 1/2")) {
      assertThat(System.nanoTime()).as("the step started").isLessThan(deadline);
      Thread.sleep(50);
    }
    GroveProcess.interrupt(cli);

    assertThat(cli.waitFor(20, TimeUnit.SECONDS)).as("the CLI ended").isTrue();
    assertThat(cli.exitValue()).isNotZero();
    assertThat(Files.readString(out)).doesNotContain("after the cancel");
    long stopped = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ProcessHandle.allProcesses()
        .anyMatch(p -> p.info().commandLine().orElse("").contains("grove-workflow-slow-done"))) {
      assertThat(System.nanoTime()).as("the script's process was stopped").isLessThan(stopped);
      Thread.sleep(50);
    }
  }
}
