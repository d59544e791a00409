package dev.grove.sandbox.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.api.process.CommandLines;
import dev.grove.sandbox.node.ContainerdNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grove sandbox up} runs containerd where it can and says so ({@code runtime}), simulates
 * when asked or when it cannot (saying why), and {@code down} leaves nothing of the node, also
 * after its process was SIGKILLed.
 */
class SandboxRuntimeIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  @AfterEach
  void down() throws Exception {
    new SandboxTool(
            home, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .run(new String[] {"down"});
  }

  @Test
  void up_simulated_says_so_and_why() throws Exception {
    JsonNode up = run("up", "--registry-port", String.valueOf(freePort()), "--simulated");
    assertThat(up.path("running").asBoolean()).as(up.toString()).isTrue();
    assertThat(up.path("runtime").asText()).isEqualTo("simulated");
    assertThat(up.path("runtimeReason").asText()).contains("--simulated");
    assertThat(run("status").path("runtime").asText()).isEqualTo("simulated");
    assertThat(netnsOf(home.resolve("sandbox/node"))).isEmpty();
  }

  @Test
  void up_where_containers_cannot_run_says_why_it_simulates() throws Exception {
    NodeFixture.assumeNotAvailable();
    JsonNode up = run("up", "--registry-port", String.valueOf(freePort()));
    assertThat(up.path("runtime").asText()).isEqualTo("simulated");
    assertThat(up.path("runtimeReason").asText())
        .startsWith("real containers cannot run here: ")
        .contains(ContainerdNode.unavailable().orElseThrow());
  }

  @Test
  void up_runs_containerd_and_down_leaves_nothing_even_after_a_sigkill() throws Exception {
    NodeFixture.assumeAvailable();
    JsonNode up = run("up", "--registry-port", String.valueOf(freePort()));
    assertThat(up.path("runtime").asText()).as(up.toString()).isEqualTo("containerd");
    assertThat(up.has("runtimeReason")).isFalse();
    assertThat(up.path("images").asText()).contains("/grove/pause:1", "/grove/busybox:1.35");
    Path nodeDir = home.resolve("sandbox/node").toAbsolutePath();
    List<ProcessHandle> containerd = processesNaming(nodeDir.resolve("config.toml"));
    assertThat(containerd).as("containerd runs for the sandbox").hasSize(1);
    List<String> netns = netnsOf(nodeDir);
    assertThat(netns).hasSize(1);

    // the sandbox process dies without stopping anything
    long apiPid =
        JSON.readTree(home.resolve("sandbox/sandbox.json").toFile()).path("apiPid").asLong();
    ProcessHandle api = ProcessHandle.of(apiPid).orElseThrow();
    api.destroyForcibly();
    api.onExit().get(10, TimeUnit.SECONDS);
    assertThat(containerd.get(0).isAlive()).as("containerd outlives a SIGKILLed sandbox").isTrue();

    JsonNode down = run("down");
    assertThat(down.path("running").asBoolean()).isFalse();
    containerd.get(0).onExit().get(20, TimeUnit.SECONDS);
    assertThat(processesNaming(nodeDir)).isEmpty();
    assertThat(netnsOf(nodeDir)).isEmpty();
    assertThat(Files.exists(Path.of("/var/run/netns", netns.get(0)))).isFalse();
    assertThat(ContainerdNode.mountPointsUnder(List.of(nodeDir))).isEmpty();
    assertThat(home.resolve("sandbox")).doesNotExist();
  }

  private JsonNode run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = new SandboxTool(home, new PrintStream(out, true, StandardCharsets.UTF_8)).run(args);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    return JSON.readTree(printed.strip());
  }

  private static List<ProcessHandle> processesNaming(Path path) {
    return ProcessHandle.allProcesses()
        .filter(p -> String.join(" ", CommandLines.of(p.pid())).contains(path.toString()))
        .toList();
  }

  /** The node namespace of the sandbox in {@code nodeDir}, when it exists. */
  private static List<String> netnsOf(Path nodeDir) {
    String name = ContainerdNode.namespaceOf(nodeDir);
    return Files.exists(Path.of("/var/run/netns", name)) ? List.of(name) : List.of();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
