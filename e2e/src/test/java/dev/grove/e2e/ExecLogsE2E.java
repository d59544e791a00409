package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code persistent: true} exec Deploy through the real CLI and daemon: its process keeps running
 * in the daemon, and {@code grove logs} shows and follows its output (pod = the action's name,
 * container = exec), across a redeploy that replaces the process.
 */
class ExecLogsE2E {
  private static final Path FIXTURE =
      Path.of("src/test/resources/projects/exec-logs").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static GroveProcess grove;
  private static Process follower;

  @BeforeAll
  static void setUp() throws Exception {
    Path project = GroveProcess.copyTree(FIXTURE, dir.resolve("project"));
    grove = new GroveProcess(Files.createDirectories(dir.resolve("grove-home")), project);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (follower != null) {
      follower.destroyForcibly();
    }
    if (grove != null) {
      grove.stopDaemon();
    }
  }

  private static List<JsonNode> jsonl(Path file) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readString(file, StandardCharsets.UTF_8).lines().toList()) {
      if (line.endsWith("}")) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  private static long hellos(Path file) throws Exception {
    return jsonl(file).stream().filter(l -> l.path("line").asText().startsWith("hello")).count();
  }

  private static void await(String what, java.util.concurrent.Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not within 30 s: " + what);
  }

  @Test
  void thePersistentProcessOutputIsShownAndFollowedAcrossARedeploy() throws Exception {
    GroveProcess.Result deploy = grove.run("deploy", "ticker");
    assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isZero();

    GroveProcess.Result logs = grove.run(Map.of("NO_COLOR", "1"), "logs", "ticker", "once");
    assertThat(logs.exitCode()).as(logs.out() + logs.err()).isZero();
    assertThat(logs.out()).contains("deploy.ticker ticker exec | hello from ticker");
    assertThat(logs.err()).contains("deploy.once (type `exec`) runs no pods");

    Path out = dir.resolve("follow.out");
    follower =
        grove.start(out, dir.resolve("follow.err"), "logs", "ticker", "-f", "--output", "jsonl");
    await(
        "ticks while following",
        () ->
            jsonl(out).stream().filter(l -> l.path("line").asText().startsWith("tick")).count()
                >= 5);

    GroveProcess.Result again = grove.run("deploy", "ticker", "--force");
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    await("the new process's first line", () -> hellos(out) == 2);

    List<JsonNode> lines = jsonl(out);
    Set<String> seen = new HashSet<>();
    for (JsonNode line : lines) {
      assertThat(line.path("pod").asText()).isEqualTo("ticker");
      assertThat(line.path("container").asText()).isEqualTo("exec");
      assertThat(seen.add(line.toString())).as("sent once: " + line).isTrue();
    }
    follower.destroy();

    GroveProcess.Result delete = grove.run("delete", "deploy", "ticker");
    assertThat(delete.exitCode()).as(delete.out() + delete.err()).isZero();
    GroveProcess.Result gone = grove.run("logs", "ticker");
    assertThat(gone.exitCode()).isEqualTo(1);
    assertThat(gone.err()).contains("persistent process is not running").contains("grove deploy");
  }
}
