package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs through the real CLI and daemon: results, exit codes, event lines, detach and cancel. */
class RunE2E {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURES =
      Path.of("../orchestrator/src/test/resources/projects").toAbsolutePath().normalize();

  @TempDir static Path dir;
  private static GroveProcess grove;

  @BeforeAll
  static void setUp() throws Exception {
    grove = new GroveProcess(Files.createDirectories(dir.resolve("grove-home")), dir);
  }

  @AfterAll
  static void tearDown() throws Exception {
    grove.stopDaemon();
  }

  private static String root(String fixture) {
    return FIXTURES.resolve(fixture).toString();
  }

  @Test
  void aFailedActionExitsOneWithFailedAndAbortedInTheJsonResult() throws Exception {
    GroveProcess.Result result =
        grove.run("deploy", "--root", root("run-failure"), "--output", "json");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    JsonNode doc = JSON.readTree(result.out());
    assertThat(doc.get("result").asText()).isEqualTo("failed");
    assertThat(doc.get("runId").asText()).startsWith("run-");
    List<String> states = new ArrayList<>();
    doc.get("actions")
        .forEach(a -> states.add(a.get("ref").asText() + "=" + a.get("state").asText()));
    assertThat(states)
        .containsExactlyInAnyOrder(
            "build.broken=failed",
            "build.docs=succeeded",
            "deploy.api=aborted",
            "deploy.web=aborted",
            "deploy.site=succeeded");
    for (JsonNode action : doc.get("actions")) {
      if (action.get("ref").asText().equals("build.broken")) {
        assertThat(action.get("error").get("code").asText()).isEqualTo("COMMAND_FAILED");
        assertThat(action.get("error").get("message").asText()).contains("exited with code 3");
      }
    }
  }

  @Test
  void jsonlPrintsEveryEventAsItHappensAndTheResultLast() throws Exception {
    GroveProcess.Result result =
        grove.run("build", "gen", "--root", root("run-outputs"), "--output", "jsonl");
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    long previous = 0;
    for (String line : lines.subList(0, lines.size() - 1)) {
      JsonNode event = JSON.readTree(line);
      assertThat(event.get("seq").asLong()).isGreaterThan(previous);
      previous = event.get("seq").asLong();
    }
    assertThat(JSON.readTree(lines.get(0)).get("type").asText()).isEqualTo("runStarted");
    assertThat(lines)
        .anyMatch(line -> line.contains("\"type\":\"log\"") && line.contains("generated-42"));
    JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(last.get("result").asText()).isEqualTo("succeeded");
  }

  @Test
  void badNamesAndConfigAreExitTwo() throws Exception {
    GroveProcess.Result unknown = grove.run("deploy", "sit", "--root", root("run-failure"));
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("Did you mean `site`?");
    GroveProcess.Result broken = grove.run("build", "--root", root("broken-yaml"));
    assertThat(broken.exitCode()).isEqualTo(2);
  }

  @Test
  void aKilledCliLeavesTheRunGoingAndAttachFollowsIt() throws Exception {
    // Long enough (4 s) to be seen running even when each `grove runs` is slow on a busy machine.
    Process cli = grove.start("deploy", "patient", "--root", root("run-slow"), "--force");
    String runId = grove.waitForRun("patient", Duration.ofSeconds(20));
    assertThat(cli.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    GroveProcess.Result attached = grove.run("attach", runId, "--output", "json");
    assertThat(attached.exitCode()).as(attached.err()).isZero();
    assertThat(JSON.readTree(attached.out()).get("result").asText()).isEqualTo("succeeded");
    assertThat(grove.run("runs").out()).contains(runId);
  }

  @Test
  void interruptingTheCliCancelsItsRun() throws Exception {
    Process cli = grove.start("deploy", "tree", "--root", root("run-slow"), "--force");
    String runId = grove.waitForRun("tree", Duration.ofSeconds(20));
    Thread.sleep(500);
    GroveProcess.interrupt(cli);
    assertThat(cli.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(cli.exitValue()).isNotZero();
    GroveProcess.Result runs = grove.run("runs", "--output", "json");
    JsonNode run = null;
    for (JsonNode each : JSON.readTree(runs.out())) {
      if (each.get("runId").asText().equals(runId)) {
        run = each;
      }
    }
    assertThat(run).isNotNull();
    assertThat(run.get("result").get("result").asText()).isEqualTo("cancelled");
  }
}
