package dev.grove.actions.build.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes to a real registry server (CNCF distribution) on loopback, over plain http. */
class JibBuilderRegistryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Process> REGISTRIES = new ArrayList<>();

  @TempDir static Path dir;
  private static String open;
  private static String withAuth;

  @BeforeAll
  static void startRegistries() throws Exception {
    open = start("open", "");
    Path htpasswd = dir.resolve("htpasswd");
    Process hash = new ProcessBuilder("htpasswd", "-Bbn", "grove", "right-pass").start();
    Files.write(htpasswd, hash.getInputStream().readAllBytes());
    assertThat(hash.waitFor()).isZero();
    withAuth = start("auth", "auth:\n  htpasswd:\n    realm: grove\n    path: " + htpasswd + "\n");
  }

  @AfterAll
  static void stopRegistries() throws InterruptedException {
    for (Process registry : REGISTRIES) {
      registry.destroy();
      if (!registry.waitFor(10, TimeUnit.SECONDS)) {
        registry.destroyForcibly();
      }
    }
  }

  /** Starts a registry on a free loopback port; returns its {@code host:port}. */
  private static String start(String name, String extraConfig) throws Exception {
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path config = dir.resolve(name + ".yml");
    Files.writeString(
        config,
        "version: 0.1\n"
            + "log:\n  level: warn\n"
            + "storage:\n  filesystem:\n    rootdirectory: "
            + dir.resolve(name + "-data")
            + "\n"
            + "http:\n  addr: 127.0.0.1:"
            + port
            + "\n"
            + extraConfig);
    Process process =
        new ProcessBuilder("docker-registry", "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    REGISTRIES.add(process);
    String address = "127.0.0.1:" + port;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        var connection =
            (HttpURLConnection) URI.create("http://" + address + "/v2/").toURL().openConnection();
        connection.getResponseCode();
        connection.disconnect();
        return address;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IllegalStateException(
              "registry did not start: " + Files.readString(dir.resolve(name + ".log")), e);
        }
        Thread.sleep(50);
      }
    }
  }

  private static JibContainerBuilder plan(String dockerfile) throws Exception {
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("hello.txt"), "hello");
    Files.writeString(context.resolve("bye.txt"), "bye");
    return JibImagePlan.plan(
        Dockerfile.parse(dockerfile, "Dockerfile"), context, Map.of(), BaseImages.anonymous());
  }

  private static BuildResult push(JibContainerBuilder plan, JibBuilder.Registry target)
      throws ActionException {
    return new JibBuilder(null, dir.resolve("cache"))
        .build(plan, target, (stream, text) -> {}, new Cancellation());
  }

  private static JsonNode skopeoInspect(String image, String creds) throws Exception {
    List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--tls-verify=false"));
    if (creds != null) {
      command.add("--creds=" + creds);
    }
    command.add("docker://" + image);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return JSON.readTree(out);
  }

  @Test
  void pushesOverPlainHttpAndTheRegistryHasTheDigest() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    BuildResult result =
        new JibBuilder(null, dir.resolve("cache"))
            .build(
                plan("FROM scratch\nCOPY hello.txt /\nCMD [\"/hello\"]\n"),
                new JibBuilder.Registry(open + "/grove/hello:v1", null, null, true),
                (stream, text) -> lines.add(text),
                new Cancellation());

    JsonNode inspected = skopeoInspect(open + "/grove/hello:v1", null);
    assertThat(inspected.get("Digest").asText()).isEqualTo(result.digest());
    assertThat(result.imageReference()).isEqualTo(open + "/grove/hello:v1");
    assertThat(result.blobsUploaded()).isPositive();
    assertThat(lines).isNotEmpty();
  }

  @Test
  void anUnchangedSecondPushUploadsNoLayer() throws Exception {
    String dockerfile = "FROM scratch\nCOPY bye.txt /\n";
    var target = new JibBuilder.Registry(open + "/grove/again:v1", null, null, true);
    BuildResult first = push(plan(dockerfile), target);
    BuildResult second = push(plan(dockerfile), target);

    assertThat(second.digest()).isEqualTo(first.digest());
    assertThat(second.blobsUploaded()).isZero();
    assertThat(second.blobsReused()).isPositive();
  }

  @Test
  void usesAnImageOfTheRegistryAsBase() throws Exception {
    push(
        plan("FROM scratch\nCOPY hello.txt /\nENV FROM_BASE=yes\n"),
        new JibBuilder.Registry(open + "/grove/base:v1", null, null, true));
    push(
        plan("FROM " + open + "/grove/base:v1\nCOPY bye.txt /\n"),
        new JibBuilder.Registry(open + "/grove/child:v1", null, null, true));

    JsonNode child = skopeoInspect(open + "/grove/child:v1", null);
    assertThat(child.get("Layers")).hasSize(2);
    assertThat(child.get("Env")).extracting(JsonNode::asText).contains("FROM_BASE=yes");
  }

  @Test
  void aWrongPasswordIsUnauthorizedAndNeverShown() throws Exception {
    var wrong = new JibBuilder.Registry(withAuth + "/grove/secure:v1", "grove", "wrong-pass", true);

    assertThatThrownBy(() -> push(plan("FROM scratch\nCOPY hello.txt /\n"), wrong))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(JibBuilder.REGISTRY_UNAUTHORIZED);
              assertThat(e.getMessage()).contains(withAuth).doesNotContain("wrong-pass");
            });

    var right = new JibBuilder.Registry(withAuth + "/grove/secure:v1", "grove", "right-pass", true);
    BuildResult result = push(plan("FROM scratch\nCOPY hello.txt /\n"), right);
    assertThat(
            skopeoInspect(withAuth + "/grove/secure:v1", "grove:right-pass").get("Digest").asText())
        .isEqualTo(result.digest());
  }
}
