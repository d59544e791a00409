package dev.grove.actions.build.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.provider.TestProviders;
import dev.grove.actions.registry.RegistryCredentials;
import dev.grove.actions.registry.RegistryStatus;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import dev.grove.actions.spi.KubeContext;
import dev.grove.api.action.ActionRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docker builder's command lines, and how the build mode picks a builder. */
class DockerBuilderTest {
  @TempDir Path dir;

  @Test
  void aSinglePlatformBuildTagsPassesArgsTargetAndExtraFlags() {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("GARDEN_ACTION_VERSION", "v-1");
    args.put("FLAVOUR", "fancy");
    assertThat(
            DockerBuilder.buildCommand(
                "Dockerfile.prod",
                Path.of("/src/web"),
                "127.0.0.1:5000/shop/web:v-1",
                args,
                "runtime",
                List.of("--pull", "--network=host"),
                List.of()))
        .containsExactly(
            "docker",
            "build",
            "--file",
            "Dockerfile.prod",
            "--tag",
            "127.0.0.1:5000/shop/web:v-1",
            "--build-arg",
            "GARDEN_ACTION_VERSION=v-1",
            "--build-arg",
            "FLAVOUR=fancy",
            "--target",
            "runtime",
            "--pull",
            "--network=host",
            "/src/web");
  }

  @Test
  void severalPlatformsUseBuildxAndPushDirectly() {
    assertThat(
            DockerBuilder.buildCommand(
                "Dockerfile",
                Path.of("/src/api"),
                "api:v-2",
                Map.of(),
                null,
                List.of(),
                List.of("linux/amd64", "linux/arm64")))
        .containsExactly(
            "docker",
            "buildx",
            "build",
            "--push",
            "--file",
            "Dockerfile",
            "--tag",
            "api:v-2",
            "--platform",
            "linux/amd64,linux/arm64",
            "/src/api");
  }

  private ActionContext context(String buildMode, List<String> lines) throws Exception {
    Path source = Files.createDirectories(dir.resolve("web"));
    Files.writeString(source.resolve("Dockerfile"), "FROM scratch\nCOPY index.html /srv/\n");
    Files.writeString(source.resolve("index.html"), "<h1>hi</h1>");
    return ActionContext.builder(
            ActionRef.parse("build.web").orElseThrow(), "container", "v-0000000042")
        .spec(Map.of())
        .dirs(source, dir)
        .env(Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()))
        .timeout(Duration.ofSeconds(60))
        .log((stream, line) -> lines.add(line))
        .cancellation(new Cancellation())
        .outputs(Map.of("deploymentImageId", "web:v-0000000042"))
        .extension(
            KubeContext.class,
            new KubeContext(TestProviders.kubernetes(Optional.empty(), buildMode), null))
        .build();
  }

  private static ContainerBuildHandler handler() {
    return new ContainerBuildHandler(
        new RegistryCredentials(),
        new RegistryStatus(),
        new DockerBuilder(new ProcessRunner()),
        (image, create, env) -> {
          throw new AssertionError("no Artifact Registry in these tests");
        });
  }

  @Test
  void localDockerWithoutAnEngineFallsBackToJibAndSaysSoOnce() throws Exception {
    ProcessRunner runner = new ProcessRunner();
    Assumptions.assumeFalse(
        new DockerBuilder(runner).engineAnswers(Map.of("PATH", System.getenv("PATH")), dir),
        "A Docker engine answers here: the fallback to jib is not exercised");
    List<String> lines = new ArrayList<>();
    ContainerBuildHandler handler = handler();
    handler.process(context("local-docker", lines));
    handler.process(context("local-docker", lines));
    assertThat(lines).filteredOn(line -> line.startsWith("No Docker engine answers")).hasSize(1);
    assertThat(dir.resolve(".grove/images/web-v-0000000042.tar")).exists();
  }

  @Test
  void inClusterBuildModesAreNotGrovesAndSaySo() {
    assertThatThrownBy(() -> handler().process(context("kaniko", new ArrayList<>())))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.NOT_SUPPORTED);
              assertThat(e.suggestion()).contains("buildMode: jib");
            });
  }

  @Test
  void theBuildContextIsTheActionsSourcesAsTheVersionCountsThem() {
    ActionContext context =
        ActionContext.builder(ActionRef.parse("build.web").orElseThrow(), "container", "v-1")
            .spec(Map.of())
            .dirs(dir.resolve("web"), dir)
            .env(Map.of())
            .timeout(Duration.ofSeconds(1))
            .log((stream, line) -> {})
            .cancellation(new Cancellation())
            .outputs(Map.of())
            .sources(List.of("web/Dockerfile", "web/app/run", "web/app/lib/x.so", "other/file"))
            .extension(
                KubeContext.class,
                new KubeContext(TestProviders.kubernetes(Optional.empty(), "jib"), null))
            .build();
    var inContext = ContainerBuildHandler.buildContext(context);
    assertThat(inContext.test("Dockerfile")).isTrue();
    assertThat(inContext.test("app")).isTrue();
    assertThat(inContext.test("app/lib")).isTrue();
    assertThat(inContext.test("app/run")).isTrue();
    assertThat(inContext.test("secret.txt")).as("excluded by the action").isFalse();
    assertThat(inContext.test("ap")).isFalse();
  }

  @Test
  void aPushToArtifactRegistryChecksTheRepositoryFirst() throws Exception {
    List<String> checked = new ArrayList<>();
    ContainerBuildHandler handler =
        new ContainerBuildHandler(
            new RegistryCredentials(),
            new RegistryStatus(),
            new DockerBuilder(new ProcessRunner()),
            (image, create, env) -> {
              checked.add(image.repositoryName() + " create=" + create);
              throw new ActionException(
                  "AR_REPOSITORY_NOT_FOUND",
                  "no repository " + image.repositoryName(),
                  "create it");
            });
    Path source = Files.createDirectories(dir.resolve("api"));
    Files.writeString(source.resolve("Dockerfile"), "FROM scratch\n");
    var registry =
        new dev.grove.actions.provider.ImageRegistry(
            "europe-west1-docker.pkg.dev", null, "my-project/my-repo", false, true);
    ActionContext context =
        ActionContext.builder(
                ActionRef.parse("build.api").orElseThrow(), "container", "v-0000000007")
            .spec(Map.of())
            .dirs(source, dir)
            .env(Map.of())
            .timeout(Duration.ofSeconds(30))
            .log((stream, line) -> {})
            .cancellation(new Cancellation())
            .outputs(
                Map.of(
                    "deploymentImageId",
                    "europe-west1-docker.pkg.dev/my-project/my-repo/api:v-0000000007"))
            .extension(
                KubeContext.class,
                new KubeContext(TestProviders.kubernetes(Optional.of(registry), "jib"), null))
            .build();
    assertThatThrownBy(() -> handler.process(context))
        .isInstanceOfSatisfying(
            ActionException.class, e -> assertThat(e.code()).isEqualTo("AR_REPOSITORY_NOT_FOUND"));
    assertThat(checked)
        .containsExactly(
            "projects/my-project/locations/europe-west1/repositories/my-repo create=true");
  }

  @Test
  void publishPullsTagsAndPushesTheBuiltImage() {
    assertThat(DockerBuilder.publishCommands("reg/shop/api:v-1", "reg/rel/api:1.0", true))
        .containsExactly(
            List.of("docker", "pull", "reg/shop/api:v-1"),
            List.of("docker", "tag", "reg/shop/api:v-1", "reg/rel/api:1.0"),
            List.of("docker", "push", "reg/rel/api:1.0"));
    assertThat(DockerBuilder.publishCommands("api:v-1", "rel/api:1.0", false)).hasSize(2);
  }
}
