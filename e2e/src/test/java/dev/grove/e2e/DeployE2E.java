package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.kube.patch.GrovePatchRules;
import dev.grove.sandbox.MockCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grove deploy}, {@code status}, {@code delete deploy} and {@code cleanup namespace} through
 * the real CLI and daemon against the mock API server (a kubeconfig the CLI's KUBECONFIG names), a
 * test controller rolling the Deployment out.
 */
class DeployE2E {
  private static final Path FIXTURE =
      Path.of("src/test/resources/projects/deploy").toAbsolutePath();

  @TempDir static Path dir;
  private static MockCluster cluster;
  private static GroveProcess grove;
  private static Map<String, String> env;

  @BeforeAll
  static void setUp() throws Exception {
    cluster = MockCluster.start(GrovePatchRules.RULES);
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n    server: "
            + cluster.url()
            + "\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: mock\n  context:\n"
            + "    cluster: mock\n    user: u\ncurrent-context: mock\n");
    env = Map.of("KUBECONFIG", kubeconfig.toString());
    Path project = dir.resolve("project");
    GroveProcess.copyTree(FIXTURE, project);
    grove = new GroveProcess(Files.createDirectories(dir.resolve("grove-home")), project);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (grove != null) {
      grove.stopDaemon();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Deployment await(String namespace, String name) throws InterruptedException {
    for (int i = 0; i < 400; i++) {
      Deployment deployment =
          cluster.client().apps().deployments().inNamespace(namespace).withName(name).get();
      if (deployment != null) {
        return deployment;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("deploy.web was never applied");
  }

  @Test
  void deploysReportsStatusDeletesAndRemovesTheNamespace() throws Exception {
    CompletableFuture<GroveProcess.Result> deploying =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return grove.run(env, "deploy");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await("shop-dev", "web");
    cluster.controller().rollOutDeployment("shop-dev", "web");
    GroveProcess.Result deployed = deploying.get(60, TimeUnit.SECONDS);
    assertThat(deployed.exitCode()).as(deployed.out() + deployed.err()).isZero();
    assertThat(cluster.client().services().inNamespace("shop-dev").withName("web").get())
        .isNotNull();

    GroveProcess.Result status = grove.run(env, "status", "--output", "json");
    assertThat(status.out()).contains("\"ref\":\"deploy.web\"").contains("\"state\":\"ready\"");

    GroveProcess.Result deleted = grove.run(env, "delete", "deploy");
    assertThat(deleted.exitCode()).as(deleted.out() + deleted.err()).isZero();
    assertThat(cluster.client().apps().deployments().inNamespace("shop-dev").withName("web").get())
        .isNull();
    assertThat(dir.resolve("project/web/deployed.txt")).doesNotExist();

    GroveProcess.Result refused = grove.run(env, "cleanup", "namespace");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("--yes");
    assertThat(cluster.client().namespaces().withName("shop-dev").get()).isNotNull();

    GroveProcess.Result removed = grove.run(env, "cleanup", "namespace", "--yes");
    assertThat(removed.exitCode()).as(removed.out() + removed.err()).isZero();
    assertThat(removed.out()).contains("deleted namespace shop-dev in context mock");
    assertThat(cluster.client().namespaces().withName("shop-dev").get()).isNull();
  }

  @Test
  void aMissingContextFailsFastNamingItAndTheKubeconfig() throws Exception {
    Path other = dir.resolve("other-kubeconfig");
    Files.writeString(
        other,
        "apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts:\n"
            + "- name: kind-dev\n  context: {cluster: c, user: u}\ncurrent-context: kind-dev\n");
    long start = System.nanoTime();
    GroveProcess.Result result = grove.run(Map.of("KUBECONFIG", other.toString()), "deploy", "web");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out() + result.err())
        .contains("`mock`")
        .contains(other.toString())
        .contains("kind-dev");
  }
}
