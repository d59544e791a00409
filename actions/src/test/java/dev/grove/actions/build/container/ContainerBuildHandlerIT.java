package dev.grove.actions.build.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.provider.ImageRegistry;
import dev.grove.actions.provider.TestProviders;
import dev.grove.actions.registry.LocalRegistry;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.ActionType;
import dev.grove.actions.spi.Cancellation;
import dev.grove.actions.spi.KubeContext;
import dev.grove.api.action.ActionRef;
import dev.grove.api.event.EventPayload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code Build/container} through its handler against the real registry server with htpasswd
 * auth, credentials from a docker config.json in the invoking shell's HOME.
 */
class ContainerBuildHandlerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "pw-" + Long.toHexString(System.nanoTime());

  @TempDir static Path dir;
  private static LocalRegistry registry;
  private static Path home;
  private static Path context;
  private final ContainerBuildType type = new ContainerBuildType(new ProcessRunner());
  private final List<String> lines = new ArrayList<>();
  private final List<EventPayload.ImagePushed> pushed = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    registry = LocalRegistry.start(dir.resolve("registry"), "grove", PASSWORD);
    home = Files.createDirectories(dir.resolve("home"));
    writeDockerConfig(PASSWORD);
    context = Files.createDirectories(dir.resolve("project/web"));
    Files.writeString(
        context.resolve("Dockerfile"),
        "FROM scratch\n"
            + "ARG FLAVOUR=plain\n"
            + "ENV MODE=${FLAVOUR} PORT=8080\n"
            + "COPY app /app\n"
            + "COPY static /srv\n"
            + "WORKDIR /app\n"
            + "EXPOSE 8080\n"
            + "LABEL org.opencontainers.image.title=web\n"
            + "ENTRYPOINT [\"/app/run\"]\n");
    Files.createDirectories(context.resolve("app"));
    Files.writeString(context.resolve("app/run"), "#!/bin/sh\necho run\n");
    Files.createDirectories(context.resolve("static"));
    Files.writeString(context.resolve("static/index.html"), "<h1>v1</h1>");
  }

  @AfterAll
  static void tearDown() {
    if (registry != null) {
      registry.close();
    }
  }

  private static void writeDockerConfig(String password) throws Exception {
    String auth =
        Base64.getEncoder().encodeToString(("grove:" + password).getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(
        home.resolve(".docker/config.json"),
        "{\"auths\": {\"" + registry.host() + "\": {\"auth\": \"" + auth + "\"}}}");
  }

  private ActionContext context(String version) {
    return context("web", version);
  }

  /** Each test its own repository: blobs another test pushed would otherwise be reused. */
  private ActionContext context(String name, String version) {
    return context(name, version, Map.of());
  }

  private ActionContext context(String name, String version, Map<String, Object> extraSpec) {
    String[] hostPort = registry.host().split(":");
    var imageRegistry = new ImageRegistry(hostPort[0], Integer.valueOf(hostPort[1]), "shop", true);
    Map<String, Object> spec = new java.util.HashMap<>(extraSpec);
    spec.put("buildArgs", Map.of("FLAVOUR", "fancy"));
    Map<String, Object> outputs =
        type.staticOutputs(
            new ActionType.OutputContext(name, spec, version, Optional.of(imageRegistry)));
    return ActionContext.builder(
            ActionRef.parse("build." + name).orElseThrow(), "container", version)
        .spec(spec)
        .dirs(context, dir.resolve("project"))
        .env(Map.of("HOME", home.toString(), "PATH", System.getenv("PATH")))
        .timeout(Duration.ofSeconds(60))
        .log((stream, line) -> lines.add(line))
        .cancellation(new Cancellation())
        .outputs(outputs)
        .events(
            payload -> {
              if (payload instanceof EventPayload.ImagePushed image) {
                pushed.add(image);
              }
            })
        .extension(
            KubeContext.class,
            new KubeContext(TestProviders.kubernetes(Optional.of(imageRegistry), "jib"), null))
        .build();
  }

  private static JsonNode inspect(String image, boolean config) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("skopeo", "inspect", "--tls-verify=false", "--creds", "grove:" + PASSWORD));
    if (config) {
      command.add("--config");
    }
    command.add("docker://" + image);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
    return JSON.readTree(out);
  }

  @Test
  void buildsPushesTagsWithTheVersionAndIsReadyAfterwards() throws Exception {
    ActionHandler handler = type.handler();
    ActionContext first = context("v-0000000001");
    assertThat(handler.status(first).ready()).isFalse();

    ActionHandler.Outputs outputs = handler.process(first);
    assertThat(outputs.values().get("deploymentImageId"))
        .isEqualTo(registry.host() + "/shop/web:v-0000000001");
    assertThat((Integer) outputs.values().get("blobsUploaded")).isPositive();
    assertThat(pushed).hasSize(1);
    assertThat(pushed.get(0).image()).isEqualTo(registry.host() + "/shop/web:v-0000000001");
    assertThat(pushed.get(0).digest()).startsWith("sha256:");
    assertThat(pushed.get(0).bytesUploaded()).isPositive();
    assertThat(handler.status(first).ready()).isTrue();

    JsonNode config = inspect(registry.host() + "/shop/web:v-0000000001", true).get("config");
    assertThat(config.get("Env").toString()).contains("MODE=fancy").contains("PORT=8080");
    assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(config.get("Entrypoint").toString()).isEqualTo("[\"/app/run\"]");
    assertThat(config.get("WorkingDir").asText()).isEqualTo("/app");
    assertThat(config.get("Labels").get("org.opencontainers.image.title").asText())
        .isEqualTo("web");
  }

  @Test
  void anEditedFileUploadsOnlyItsLayer() throws Exception {
    ActionHandler handler = type.handler();
    handler.process(context("site", "v-0000000002"));
    Files.writeString(context.resolve("static/index.html"), "<h1>v2</h1>");
    ActionHandler.Outputs edited = handler.process(context("site", "v-0000000003"));
    // The app layer is already there; the changed static layer and the config are new.
    assertThat((Integer) edited.values().get("blobsReused")).isGreaterThanOrEqualTo(1);
    assertThat((Integer) edited.values().get("blobsUploaded")).isLessThanOrEqualTo(2);
    long full = pushed.get(pushed.size() - 2).bytesUploaded();
    long changed = pushed.get(pushed.size() - 1).bytesUploaded();
    assertThat(changed).isPositive().isLessThan(full);
  }

  @Test
  void platformsSetTheImageArchitecture() throws Exception {
    ActionHandler handler = type.handler();
    handler.process(context("arm", "v-0000000004", Map.of("platforms", List.of("linux/arm64"))));

    JsonNode config = inspect(registry.host() + "/shop/arm:v-0000000004", true);
    assertThat(config.get("architecture").asText()).isEqualTo("arm64");
    assertThat(config.get("os").asText()).isEqualTo("linux");
  }

  @Test
  void twoPlatformsPushAnImageIndex() throws Exception {
    ActionHandler handler = type.handler();
    handler.process(
        context(
            "multi", "v-0000000007", Map.of("platforms", List.of("linux/amd64", "linux/arm64"))));

    Process process =
        new ProcessBuilder(
                "skopeo",
                "inspect",
                "--raw",
                "--tls-verify=false",
                "--creds",
                "grove:" + PASSWORD,
                "docker://" + registry.host() + "/shop/multi:v-0000000007")
            .redirectErrorStream(true)
            .start();
    String raw = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(raw).isZero();
    JsonNode index = JSON.readTree(raw);
    assertThat(index.get("manifests")).hasSize(2);
    assertThat(raw).contains("\"arm64\"").contains("\"amd64\"");
  }

  @Test
  void publishPushesTheSameImageUnderThePublishIdWithItsTagOrTheGivenOne() throws Exception {
    String released = registry.host() + "/releases/web";
    ActionContext context = context("pub", "v-0000000008", Map.of("publishId", released + ":1.0"));
    ActionHandler handler = type.handler();
    handler.process(context);
    String built =
        inspect(registry.host() + "/shop/pub:v-0000000008", false).get("Digest").asText();

    ActionHandler.Outputs outputs =
        ((ActionHandler.Publisher) handler).publish(context, Optional.empty());
    assertThat(outputs.values().get("publishedImageId")).isEqualTo(released + ":1.0");
    assertThat(inspect(released + ":1.0", false).get("Digest").asText()).isEqualTo(built);

    ((ActionHandler.Publisher) handler).publish(context, Optional.of("stable"));
    assertThat(inspect(released + ":stable", false).get("Digest").asText()).isEqualTo(built);
    // reproducible: the same image again, so the repository already had every blob
    assertThat(pushed.get(pushed.size() - 1).bytesUploaded()).isZero();
  }

  @Test
  void publishWithoutPublishIdUsesTheDeploymentImageNameAndTheVersion() throws Exception {
    ActionContext context = context("plain", "v-0000000009");
    String image = ContainerBuildHandler.publishImage(context, Optional.empty());
    assertThat(image).isEqualTo(registry.host() + "/shop/plain:v-0000000009");
  }

  @Test
  void aBadPublishIdIsASpecErrorNamingIt() {
    ActionContext context = context("bad-pub", "v-0000000010", Map.of("publishId", "Not An/Image"));
    assertThatThrownBy(() -> ContainerBuildHandler.publishImage(context, Optional.empty()))
        .isInstanceOf(ActionException.class)
        .hasMessageContaining("spec.publishId");
  }

  @Test
  void aPlatformThatIsNotOsSlashArchIsASpecError() {
    ActionHandler handler = type.handler();
    assertThatThrownBy(
            () ->
                handler.process(
                    context("bad", "v-0000000005", Map.of("platforms", List.of("arm64")))))
        .isInstanceOf(ActionException.class)
        .hasMessageContaining("spec.platforms entry `arm64` is not os/arch");
  }

  @Test
  void extraFlagsAreSaidToBeUnusedByJib() throws Exception {
    ActionHandler handler = type.handler();
    handler.process(
        context("flags", "v-0000000006", Map.of("extraFlags", List.of("--network=host"))));
    assertThat(lines).anyMatch(line -> line.contains("--network=host") && line.contains("jib"));
  }

  @Test
  void wrongCredentialsFailNamingTheRegistryAndTheSourceButNotThePassword() throws Exception {
    writeDockerConfig("not-the-password");
    try {
      assertThatThrownBy(() -> type.handler().status(context("secure", "v-0000000009")))
          .isInstanceOfSatisfying(
              ActionException.class,
              e -> {
                assertThat(e.code()).isEqualTo("REGISTRY_UNAUTHORIZED");
                assertThat(e.getMessage()).contains(registry.host()).contains("config.json");
                assertThat(e.getMessage() + e.suggestion()).doesNotContain("not-the-password");
              });
    } finally {
      writeDockerConfig(PASSWORD);
    }
  }
}
