package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grove render} and the pull-secret lint on the private-registry story's project, through
 * the real CLI and daemon, with no cluster and no registry.
 */
class RenderE2E {
  private static final Path SEED =
      Path.of("../orchestrator/src/test/resources/projects/seed-story")
          .toAbsolutePath()
          .normalize();

  @TempDir static Path dir;
  private static GroveProcess grove;
  private static Path withPatch;
  private static Path withoutPatch;

  @BeforeAll
  static void setUp() throws Exception {
    grove = new GroveProcess(Files.createDirectories(dir.resolve("grove-home")), dir);
    withPatch = GroveProcess.copyTree(SEED, dir.resolve("with-patch"));
    withoutPatch = GroveProcess.copyTree(SEED, dir.resolve("without-patch"));
    Files.writeString(
        withoutPatch.resolve("deploy.garden.yml"),
        "kind: Deploy\ntype: kubernetes\nname: backend\nspec:\n  files: [backend/deployment.yml]\n");
  }

  @AfterAll
  static void tearDown() throws Exception {
    grove.stopDaemon();
  }

  @Test
  void rendersThePatchedDeploymentWithTheBuildsTagStableByteForByte() throws Exception {
    GroveProcess.Result first = grove.run("render", "--root", withPatch.toString());
    GroveProcess.Result second = grove.run("render", "--root", withPatch.toString());

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("kind: Deployment")
        .contains("namespace: seed-dev")
        .contains("grove.dev/action: deploy.backend")
        .contains("imagePullSecrets:\n      - name: gar-pull-secret")
        .containsPattern(
            "image: europe-west1-docker.pkg.dev/my-project/my-repo/backend:v-[0-9a-f]{10}");
    assertThat(first.err()).doesNotContain("GROVE_PULL_SECRET");
    assertThat(second.out()).isEqualTo(first.out());
  }

  @Test
  void outputDirWritesOneFilePerDeploy() throws Exception {
    Path out = dir.resolve("rendered");
    GroveProcess.Result result =
        grove.run("render", "--root", withPatch.toString(), "--output-dir", out.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(Files.readString(out.resolve("deploy.backend.yaml")))
        .isEqualTo(grove.run("render", "--root", withPatch.toString()).out());
  }

  @Test
  void withoutThePatchRenderAndValidateWarnNamingTheFix() throws Exception {
    GroveProcess.Result render = grove.run("render", "--root", withoutPatch.toString());
    assertThat(render.exitCode()).isZero();
    assertThat(render.out()).doesNotContain("imagePullSecrets");
    assertThat(render.err()).contains("warning GROVE_PULL_SECRET").contains("patchResources");

    GroveProcess.Result validate = grove.run("validate", "--root", withoutPatch.toString());
    assertThat(validate.exitCode()).isZero();
    assertThat(validate.err())
        .contains("deploy.garden.yml")
        .contains("ImagePullBackOff")
        .contains("imagePullSecrets: provider");
  }
}
