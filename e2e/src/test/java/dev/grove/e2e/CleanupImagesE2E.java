package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.registry.LocalRegistry;
import dev.grove.actions.registry.RegistryAuth;
import dev.grove.actions.registry.RegistryStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three builds push three versions to the real registry and {@code grove publish --tag} adds a
 * release tag; {@code grove cleanup images} lists the old versions, refuses to delete without a
 * terminal or --yes, and with --yes deletes exactly those (never the release tag).
 */
class CleanupImagesE2E {
  private static final Path FIXTURE =
      Path.of("src/test/resources/projects/images").toAbsolutePath();
  private static final String PASSWORD = "e2e-pass";

  @TempDir static Path dir;
  private static LocalRegistry registry;
  private static GroveProcess grove;
  private static Path project;
  private static Map<String, String> env;

  @BeforeAll
  static void setUp() throws Exception {
    registry = LocalRegistry.start(dir.resolve("registry"), "grove", PASSWORD);
    Path docker = Files.createDirectories(dir.resolve("docker"));
    String auth =
        Base64.getEncoder().encodeToString(("grove:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        docker.resolve("config.json"),
        "{\"auths\": {\"" + registry.host() + "\": {\"auth\": \"" + auth + "\"}}}");
    env =
        Map.of(
            "DOCKER_CONFIG",
            docker.toString(),
            "REGISTRY_PORT",
            registry.host().substring(registry.host().indexOf(':') + 1));
    project = dir.resolve("project");
    GroveProcess.copyTree(FIXTURE, project);
    grove = new GroveProcess(Files.createDirectories(dir.resolve("grove-home")), project);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (grove != null) {
      grove.stopDaemon();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private static List<String> tags() throws Exception {
    return new RegistryStatus()
        .tags(
            registry.host(),
            "e2e/web",
            Optional.of(new RegistryAuth("grove", PASSWORD, "test")),
            true);
  }

  @Test
  void listsAsksAndDeletesOnlyTheOldVersions() throws Exception {
    for (int i = 1; i <= 3; i++) {
      Files.writeString(project.resolve("web/index.html"), "<h1>" + i + "</h1>");
      GroveProcess.Result build = grove.run(env, "build");
      assertThat(build.exitCode()).as(build.out() + build.err()).isZero();
    }
    assertThat(tags()).hasSize(3);
    GroveProcess.Result publish = grove.run(env, "publish", "web", "--tag", "release-1");
    assertThat(publish.exitCode()).as(publish.out() + publish.err()).isZero();
    assertThat(tags()).hasSize(4).contains("release-1");

    GroveProcess.Result asked = grove.run(env, "cleanup", "images", "--keep", "1");
    assertThat(asked.exitCode()).as(asked.out() + asked.err()).isEqualTo(2);
    assertThat(asked.out()).contains(registry.host() + "/e2e/web (web): delete 2, keep 1");
    assertThat(asked.err()).contains("no terminal").contains("--yes");
    assertThat(tags()).hasSize(4);

    GroveProcess.Result done = grove.run(env, "cleanup", "images", "--keep", "1", "--yes");
    assertThat(done.exitCode()).as(done.out() + done.err()).isZero();
    assertThat(done.out()).contains("deleted 2 tags");
    List<String> left = new java.util.ArrayList<>(tags());
    assertThat(left).hasSize(2).contains("release-1");
    left.remove("release-1");
    assertThat(asked.out()).contains("  " + left.get(0));

    GroveProcess.Result again = grove.run(env, "cleanup", "images", "--keep", "1");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("nothing to delete");
  }

  @Test
  void anUnknownBuildNameIsAnErrorWithTheKnownOnes() throws Exception {
    GroveProcess.Result result = grove.run(env, "cleanup", "images", "wbe");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("`wbe`").contains("Did you mean `web`?");
  }
}
