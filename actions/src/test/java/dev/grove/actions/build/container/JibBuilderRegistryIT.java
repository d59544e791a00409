package dev.grove.actions.build.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import dev.grove.actions.registry.LocalRegistry;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes to a real registry server (CNCF distribution) on loopback, over plain http. */
class JibBuilderRegistryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalRegistry openRegistry;
  private static LocalRegistry authRegistry;

  @TempDir static Path dir;
  private static String open;
  private static String withAuth;

  @BeforeAll
  static void startRegistries() throws Exception {
    openRegistry = LocalRegistry.start(dir.resolve("open"));
    open = openRegistry.host();
    authRegistry = LocalRegistry.start(dir.resolve("auth"), "grove", "right-pass");
    withAuth = authRegistry.host();
  }

  @AfterAll
  static void stopRegistries() {
    if (openRegistry != null) {
      openRegistry.close();
    }
    if (authRegistry != null) {
      authRegistry.close();
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
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
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
    assertThat(result.bytesUploaded()).isPositive();
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
    assertThat(second.bytesUploaded()).isZero();
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
              assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_UNAUTHORIZED);
              assertThat(e.getMessage()).contains(withAuth).doesNotContain("wrong-pass");
            });

    var right = new JibBuilder.Registry(withAuth + "/grove/secure:v1", "grove", "right-pass", true);
    BuildResult result = push(plan("FROM scratch\nCOPY hello.txt /\n"), right);
    assertThat(
            skopeoInspect(withAuth + "/grove/secure:v1", "grove:right-pass").get("Digest").asText())
        .isEqualTo(result.digest());
  }

  @Test
  void aRegistryKilledMidPushFailsTheBuildWithinSecondsWithoutColourCodes() throws Exception {
    Path registryDir = dir.resolve("dying");
    LocalRegistry dying = LocalRegistry.start(registryDir);
    try {
      Path context = Files.createDirectories(dir.resolve("big-context"));
      byte[] chunk = new byte[1 << 20];
      java.util.Random random = new java.util.Random(7);
      try (var out = Files.newOutputStream(context.resolve("big.bin"))) {
        for (int i = 0; i < 96; i++) {
          random.nextBytes(chunk);
          out.write(chunk);
        }
      }
      JibContainerBuilder plan =
          JibImagePlan.plan(
              Dockerfile.parse("FROM scratch\nCOPY big.bin /\n", "Dockerfile"),
              context,
              Map.of(),
              BaseImages.anonymous());
      // kill the registry as soon as an upload has begun (its _uploads folder appears)
      Thread killer =
          new Thread(
              () -> {
                long deadline =
                    System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
                try {
                  while (System.nanoTime() < deadline && !uploading(registryDir)) {
                    Thread.sleep(5);
                  }
                  dying.kill();
                } catch (Exception e) {
                  Thread.currentThread().interrupt();
                }
              });
      killer.start();
      List<String> lines = new CopyOnWriteArrayList<>();
      long started = System.nanoTime();
      assertThatThrownBy(
              () ->
                  new JibBuilder(null, dir.resolve("dying-cache"))
                      .build(
                          plan,
                          new JibBuilder.Registry(dying.host() + "/grove/big:v1", null, null, true),
                          (stream, text) -> lines.add(text),
                          new Cancellation()))
          .isInstanceOfSatisfying(
              ActionException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_UNREACHABLE);
                assertThat(e.getMessage()).contains(dying.host()).doesNotContain("\u001b");
                assertThat(e.suggestion()).doesNotContain("\u001b");
              });
      long seconds =
          java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      killer.join(10_000);
      assertThat(seconds).as("seconds until the build failed").isLessThan(15);
      assertThat(lines).noneMatch(line -> line.contains("\u001b"));
    } finally {
      dying.close();
    }
  }

  private static boolean uploading(Path registryDir) throws java.io.IOException {
    Path repositories = registryDir.resolve("storage/docker/registry/v2/repositories");
    if (!Files.isDirectory(repositories)) {
      return false;
    }
    try (var files = Files.walk(repositories)) {
      return files.anyMatch(path -> path.getFileName().toString().equals("_uploads"));
    }
  }
}
