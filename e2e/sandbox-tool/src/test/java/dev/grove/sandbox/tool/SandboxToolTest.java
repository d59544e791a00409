package dev.grove.sandbox.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox tool's answers that need no processes. */
class SandboxToolTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private JsonNode run(int expectedExit, String... args) throws Exception {
    int code = new SandboxTool(home, new PrintStream(out, true, StandardCharsets.UTF_8)).run(args);
    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(expectedExit);
    return JSON.readTree(out.toString(StandardCharsets.UTF_8).strip());
  }

  @Test
  void statusOfASandboxNeverStartedIsNotRunning() throws Exception {
    assertThat(run(0, "status").path("running").asBoolean()).isFalse();
  }

  @Test
  void downOfASandboxNeverStartedIsFine() throws Exception {
    assertThat(run(0, "down").path("running").asBoolean()).isFalse();
  }

  @Test
  void k3sWithoutAnEngineExitsTwoSayingWhy() throws Exception {
    Assumptions.assumeFalse(
        K3sSandbox.engineAnswers(),
        "A Docker engine answers here, so `up --k3s` would start K3s: the no-engine answer is not"
            + " checked (StoryK3sE2E runs the K3s sandbox)");
    JsonNode answer = run(2, "up", "--k3s");
    assertThat(answer.path("error").asText()).contains("No Docker engine");
    assertThat(answer.path("suggestion").asText()).contains("grove sandbox up");
  }

  @Test
  void aRegistryPortOutsideOneTo65535IsAUsageError() throws Exception {
    for (String port : java.util.List.of("0", "-1", "99999")) {
      out.reset();
      assertThat(run(2, "up", "--registry-port", port).path("error").asText())
          .contains("from 1 to 65535");
    }
  }

  @Test
  void badUsageExitsTwo() throws Exception {
    assertThat(run(2, "up", "--registry-port", "x").path("error").asText())
        .contains("--registry-port");
  }
}
