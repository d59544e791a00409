package dev.grove.sandbox.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grove sandbox up|down} as the CLI and the daemon run it (the tool in this JVM, the
 * registry and the sandbox API as real processes): its secrets stay the user's, and it recovers
 * from a crash and from its folder being removed under it.
 */
class SandboxToolIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  private ByteArrayOutputStream out = new ByteArrayOutputStream();

  private Path dir() {
    return home.resolve("sandbox");
  }

  private JsonNode run(String... args) throws Exception {
    out = new ByteArrayOutputStream();
    int code = new SandboxTool(home, new PrintStream(out, true, StandardCharsets.UTF_8)).run(args);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    return JSON.readTree(printed.strip());
  }

  private JsonNode state() throws Exception {
    return JSON.readTree(dir().resolve("sandbox.json").toFile());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Every process a test started, stopped whatever happened. */
  @AfterEach
  void stopEverything() throws Exception {
    for (ProcessHandle stray : SandboxTool.strays(dir().toAbsolutePath())) {
      stray.destroyForcibly();
      stray.onExit().get(10, TimeUnit.SECONDS);
    }
    // and what the node of a SIGKILLed sandbox left (containerd, its namespace)
    dev.grove.sandbox.node.ContainerdNode.cleanUp(dir().toAbsolutePath().resolve("node"));
  }

  @Test
  void its_token_password_and_files_stay_the_users() throws Exception {
    int port = freePort();
    JsonNode up = run("up", "--registry-port", String.valueOf(port));
    assertThat(up.path("running").asBoolean()).as(up.toString()).isTrue();

    Path kubeconfig = dir().resolve("kubeconfig");
    for (Path file : List.of(dir().resolve("sandbox.json"), kubeconfig)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as(file.toString())
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())))
        .isEqualTo("rwx------");
    JsonNode state = state();
    String token = state.path("token").asText();
    String password = state.path("registryPassword").asText();
    assertThat(token).hasSizeGreaterThanOrEqualTo(32);
    assertThat(Files.readString(kubeconfig)).contains("token: " + token);

    // the kubeconfig's token gets in (as fabric8 in the daemon uses it); no token does not
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(SandboxTool.CONTEXT, kubeconfig.toFile()))
            .build()) {
      Secret secret =
          client.secrets().inNamespace("default").withName(SandboxTool.PULL_SECRET).get();
      assertThat(
              new String(
                  Base64.getDecoder().decode(secret.getData().get(".dockerconfigjson")),
                  StandardCharsets.UTF_8))
          .contains(password);
    }
    try (KubernetesClient anonymous =
        new KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty())
                    .withMasterUrl(state.path("apiUrl").asText())
                    .withCaCertData(
                        Base64.getEncoder()
                            .encodeToString(
                                state
                                    .path("apiCertificate")
                                    .asText()
                                    .getBytes(StandardCharsets.US_ASCII)))
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()) {
      KubernetesClientException refused = null;
      try {
        anonymous.secrets().inNamespace("default").withName(SandboxTool.PULL_SECRET).get();
      } catch (KubernetesClientException e) {
        refused = e;
      }
      assertThat(refused).as("an anonymous read of the pull secret").isNotNull();
      assertThat(refused.getCode()).isEqualTo(401);
    }

    // the registry takes the generated password (its htpasswd entry is right) ...
    String registry = state.path("registry").asText();
    assertThat(registryAnswers(registry, null)).isEqualTo(401);
    assertThat(registryAnswers(registry, SandboxTool.USER + ":" + password)).isEqualTo(200);
    // ... which, like the token, is on no command line: not htpasswd's, not the processes'
    assertThat(SandboxTool.htpasswdCommand(SandboxTool.USER))
        .containsExactly("/usr/bin/htpasswd", "-iBn", SandboxTool.USER);
    for (String pid : List.of("registryPid", "apiPid")) {
      String cmdline =
          Files.readString(Path.of("/proc", state.path(pid).asText(), "cmdline"))
              .replace('\0', ' ');
      assertThat(cmdline).as(pid).doesNotContain(password).doesNotContain(token);
    }
  }

  @Test
  void a_plain_up_after_a_crash_restarts_on_the_registry_port_it_was_started_with()
      throws Exception {
    int port = freePort();
    run("up", "--registry-port", String.valueOf(port));
    JsonNode before = state();
    for (String pid : List.of("apiPid", "registryPid")) {
      ProcessHandle process = ProcessHandle.of(before.path(pid).asLong()).orElseThrow();
      process.destroyForcibly(); // kill -9
      process.onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(run("status").path("running").asBoolean()).isFalse();

    JsonNode up = run("up"); // what the daemon runs
    assertThat(up.path("running").asBoolean()).as(up.toString()).isTrue();
    assertThat(up.path("registry").asText()).isEqualTo("127.0.0.1:" + port);

    // asking a running sandbox for another port is refused, saying what runs (it was ignored)
    out = new ByteArrayOutputStream();
    int other = freePort();
    int code =
        new SandboxTool(home, new PrintStream(out, true, StandardCharsets.UTF_8))
            .run(new String[] {"up", "--registry-port", String.valueOf(other)});
    String said = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(said).isNotZero();
    assertThat(said).contains("127.0.0.1:" + port).contains("grove sandbox down");
  }

  @Test
  void up_after_its_folder_was_removed_stops_the_old_processes_and_takes_the_port_again()
      throws Exception {
    int port = freePort();
    run("up", "--registry-port", String.valueOf(port));
    JsonNode before = state();
    List<ProcessHandle> old =
        Stream.of("apiPid", "registryPid")
            .map(pid -> ProcessHandle.of(before.path(pid).asLong()).orElseThrow())
            .toList();

    deleteTree(dir()); // rm -rf $GROVE_HOME (its sandbox folder and all)

    JsonNode up = run("up", "--registry-port", String.valueOf(port));
    assertThat(up.path("running").asBoolean()).as(up.toString()).isTrue();
    assertThat(up.path("registry").asText()).isEqualTo("127.0.0.1:" + port);
    for (ProcessHandle process : old) {
      assertThat(process.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    }
    assertThat(SandboxTool.strays(dir().toAbsolutePath()))
        .extracting(ProcessHandle::pid)
        .containsExactlyInAnyOrder(
            state().path("apiPid").asLong(), state().path("registryPid").asLong());
  }

  @Test
  void the_api_process_stops_by_itself_soon_after_its_folder_is_removed() throws Exception {
    run("up", "--registry-port", String.valueOf(freePort()));
    JsonNode before = state();
    ProcessHandle api = ProcessHandle.of(before.path("apiPid").asLong()).orElseThrow();
    ProcessHandle registry = ProcessHandle.of(before.path("registryPid").asLong()).orElseThrow();

    deleteTree(dir());

    assertThat(api.onExit().get(15, TimeUnit.SECONDS).isAlive()).isFalse();
    assertThat(registry.onExit().get(15, TimeUnit.SECONDS).isAlive()).isFalse();
  }

  @Test
  void down_says_whether_it_stopped_a_sandbox() throws Exception {
    run("up", "--registry-port", String.valueOf(freePort()));

    JsonNode first = run("down");
    assertThat(first.path("running").asBoolean()).isFalse();
    assertThat(first.path("stopped").asBoolean()).isTrue();
    assertThat(first.path("removedData").asBoolean()).isTrue();
    assertThat(dir()).doesNotExist();

    JsonNode second = run("down");
    assertThat(second.path("stopped").asBoolean()).isFalse();
    assertThat(second.path("removedData").asBoolean()).isFalse();
  }

  @Test
  void down_leaves_a_process_that_took_a_recorded_pid_alone() throws Exception {
    // after a reboot, the pids in sandbox.json may be anyone's
    Process unrelated = new ProcessBuilder("sleep", "60").start();
    try {
      Files.createDirectories(dir());
      Files.writeString(
          dir().resolve("sandbox.json"),
          "{\"apiPid\": " + unrelated.pid() + ", \"registryPid\": " + unrelated.pid() + "}");

      JsonNode down = run("down");

      assertThat(unrelated.isAlive()).isTrue();
      assertThat(down.path("stopped").asBoolean()).isFalse();
      assertThat(down.path("removedData").asBoolean()).isTrue();
    } finally {
      unrelated.destroyForcibly();
      unrelated.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int registryAnswers(String registry, String credentials) throws Exception {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create("http://" + registry + "/v2/").toURL().openConnection();
    connection.setConnectTimeout(2000);
    connection.setReadTimeout(5000);
    Optional.ofNullable(credentials)
        .ifPresent(
            c ->
                connection.setRequestProperty(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8))));
    try {
      return connection.getResponseCode();
    } finally {
      connection.disconnect();
    }
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
