package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The story's fix path (issue 12) across real processes: a {@code kubernetes} Deploy of an image in
 * the sandbox registry fails fast without a pull secret; once the fix is in (a {@code
 * patchResources} entry, or {@code spec.imagePullSecrets: provider}) the next deploy succeeds — it
 * must not fail on the old ReplicaSet's pod that still cannot pull while the new one rolls out. Ten
 * times in a row per fix: the first round on a new Deployment (the story), the next ones on the
 * Deployment the round before fixed, whose broken template's ReplicaSet comes back and fails while
 * the fixed one's pod runs. And a healthy Deployment changed to a bad image fails fast on the new
 * pod while the old one keeps running. The variant is chosen with {@code --var
 * fix=none|patch|provider} and {@code --var image=built|<image>} (in the patch: a var used only in
 * a manifest file does not change the Deploy's version).
 */
class FixPathE2E {
  private static final Path SHOP = Path.of("../examples/shop").toAbsolutePath().normalize();
  private static final String NS = "shop-dev";
  private static final int ROUNDS = 10;

  /** The backend Deploy with both fixes behind {@code var.fix}, as a user would write either. */
  private static final String BACKEND =
      """
      kind: Deploy
      type: kubernetes
      name: backend
      dependencies: [build.backend]
      spec:
        files: [backend/deployment.yml]
        imagePullSecrets:
          $if: ${var.fix == "provider"}
          $then: provider
        patchResources:
          $if: ${var.fix == "patch"}
          $then:
            - kind: Deployment
              name: backend
              patch:
                spec:
                  template:
                    spec:
                      imagePullSecrets:
                        - name: ${var.imagePullSecretName}
                      containers:
                        - name: backend
                          image: "${var.image == 'built' ? actions.build.backend.outputs.deployment-image-id : var.image}"
      """;

  @TempDir static Path dir;
  private static GroveProcess grove;
  private static KubernetesClient cluster;
  private static int registryPort;
  private static Path project;

  @BeforeAll
  static void setUp() throws Exception {
    Path home = Files.createDirectories(dir.resolve("grove-home"));
    grove = new GroveProcess(home, dir);
    registryPort = GroveProcess.freePort();
    cluster = grove.sandboxUp(registryPort);
    project = GroveProcess.copyTree(SHOP, dir.resolve("shop"));
    Files.writeString(project.resolve("backend.garden.yml"), BACKEND);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (grove != null) {
      grove.stopDaemonAndSandbox();
    }
  }

  @Test
  void failFixDeployTenTimesInARowWithAPatch() throws Exception {
    failFixDeploy("patch");
  }

  @Test
  void failFixDeployTenTimesInARowWithImagePullSecretsProvider() throws Exception {
    failFixDeploy("provider");
  }

  @Test
  void aHealthyDeploymentChangedToABadImageFailsFastOnTheNewPodWhileTheOldOneRuns()
      throws Exception {
    GroveProcess.Result healthy = grove("deploy", "backend", "--var", "fix=patch");
    assertThat(healthy.exitCode()).as(healthy.out() + healthy.err()).isZero();
    Pod running = onlyRunningPod();

    String bad = "127.0.0.1:" + registryPort + "/shop/backend:no-such-tag";
    long start = System.nanoTime();
    GroveProcess.Result broken =
        grove("deploy", "backend", "--var", "fix=patch", "--var", "image=" + bad);
    long millis = (System.nanoTime() - start) / 1_000_000;

    String output = broken.out() + broken.err();
    assertThat(broken.exitCode()).as(output).isEqualTo(1);
    assertThat(millis).as("failed fast, not after the 300 s timeout: " + output).isLessThan(30_000);
    assertThat(output)
        .containsAnyOf("ErrImagePull", "ImagePullBackOff")
        .contains(bad)
        .contains("not found")
        .doesNotContain("pod " + running.getMetadata().getName());
    Pod old = cluster.pods().inNamespace(NS).withName(running.getMetadata().getName()).get();
    assertThat(old).as("the old pod keeps running").isNotNull();
    assertThat(old.getStatus().getPhase()).isEqualTo("Running");

    GroveProcess.Result back = grove("deploy", "backend", "--var", "fix=patch");
    assertThat(back.exitCode()).as(back.out() + back.err()).isZero();
    assertThat(grove("delete", "deploy", "backend").exitCode()).isZero();
  }

  private static void failFixDeploy(String fix) throws Exception {
    grove("delete", "deploy", "backend"); // a new Deployment for the first round, as in the story
    List<String> rounds = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      long start = System.nanoTime();
      GroveProcess.Result broken = grove("deploy", "backend", "--var", "fix=none");
      String failure = broken.out() + broken.err();
      assertThat(broken.exitCode()).as("round %d without a fix: %s", round, failure).isEqualTo(1);
      assertThat(failure)
          .as("round %d", round)
          .containsAnyOf("ErrImagePull", "ImagePullBackOff")
          .contains("imagePullSecrets: none");
      long failed = System.nanoTime();

      GroveProcess.Result fixed = grove("deploy", "backend", "--var", "fix=" + fix);
      assertThat(fixed.exitCode())
          .as("round %d with the %s fix: %s", round, fix, fixed.out() + fixed.err())
          .isZero();
      Deployment backend = cluster.apps().deployments().inNamespace(NS).withName("backend").get();
      assertThat(
              backend.getSpec().getTemplate().getSpec().getImagePullSecrets().stream()
                  .map(LocalObjectReference::getName))
          .containsExactly("grove-sandbox-registry");
      assertThat(backend.getStatus().getAvailableReplicas()).isEqualTo(1);
      rounds.add(
          String.format(
              "%d: fail %d ms, fix %d ms",
              round, (failed - start) / 1_000_000, (System.nanoTime() - failed) / 1_000_000));
    }
    assertThat(grove("delete", "deploy", "backend").exitCode()).isZero();
    System.out.println("fail -> fix (" + fix + ") -> deploy:\n  " + String.join("\n  ", rounds));
  }

  /** The one backend pod, Running; waits a little for the rollout's old pods to go. */
  private static Pod onlyRunningPod() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<Pod> pods = cluster.pods().inNamespace(NS).withLabel("app", "backend").list().getItems();
      if (pods.size() == 1 && "Running".equals(pods.get(0).getStatus().getPhase())) {
        return pods.get(0);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not one Running backend pod within 10 s: " + pods);
      }
      Thread.sleep(100);
    }
  }

  private static GroveProcess.Result grove(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--root", project.toString(), "--var", "registryPort=" + registryPort));
    if (all.stream().noneMatch(a -> a.startsWith("fix="))) {
      all.addAll(List.of("--var", "fix=none"));
    }
    if (all.stream().noneMatch(a -> a.startsWith("image="))) {
      all.addAll(List.of("--var", "image=built"));
    }
    return grove.run(Map.of("NO_COLOR", "1"), all.toArray(String[]::new));
  }
}
