package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.sandbox.node.ContainerdNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox with real containers (containerd through CRI, pods in the node's network namespace):
 * {@code examples/shop} serves its page through {@code kubectl port-forward}, the web pod reaches
 * the backend through its Service, {@code grove logs} shows the server's own request log, {@code
 * kubectl exec} runs in a container; a pod without its pull secret fails with containerd's error, a
 * crashing container goes CrashLoopBackOff and fails the deploy fast with its last lines, a Job
 * completes, a readiness probe that never passes ends in Grove's timeout naming it. Skipped, saying
 * why, where containerd cannot run (not root, not installed): SandboxRuntimeIT checks the simulated
 * fallback there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainersE2E {
  private static final Path SHOP = Path.of("../examples/shop").toAbsolutePath().normalize();
  private static final Path FIXTURE =
      Path.of("src/test/resources/projects/real-pods").toAbsolutePath();
  private static final String SHOP_NS = "shop-dev";
  private static final String PODS_NS = "real-pods-dev";

  @TempDir static Path dir;
  private static Path home;
  private static GroveProcess grove;
  private static KubernetesClient cluster;
  private static int registryPort;
  private static Path shop;
  private static Path pods;

  @BeforeAll
  static void setUp() throws Exception {
    Optional<String> why = ContainerdNode.unavailable();
    Assumptions.assumeTrue(
        why.isEmpty(), () -> "no real containers on this machine: " + why.orElse(""));
    home = Files.createDirectories(dir.resolve("grove-home"));
    grove = new GroveProcess(home, dir).realContainers().timeout(Duration.ofSeconds(120));
    registryPort = GroveProcess.freePort();
    cluster = grove.sandboxUp(registryPort);
    GroveProcess.Result status = grove.run("sandbox", "status");
    assertThat(status.out()).as(status.err()).contains("containerd");
    shop = GroveProcess.copyTree(SHOP, dir.resolve("shop"));
    pods = GroveProcess.copyTree(FIXTURE, dir.resolve("real-pods"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (grove != null) {
      grove.stopDaemon();
      GroveProcess.Result down = grove.run("sandbox", "down");
      assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
    }
  }

  private static GroveProcess.Result grove(Path root, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--root", root.toString(), "--var", "registryPort=" + registryPort));
    return grove.run(Map.of("NO_COLOR", "1"), all.toArray(String[]::new));
  }

  /** kubectl against the sandbox's kubeconfig; its output, within {@code timeout}. */
  private static GroveProcess.Result kubectl(Duration timeout, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "kubectl",
                "--kubeconfig",
                home.resolve("sandbox/kubeconfig").toString(),
                "--context",
                "grove-sandbox"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "kubectl", ".out");
    Path err = Files.createTempFile(dir, "kubectl", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new AssertionError(command + " did not end within " + timeout);
    }
    return new GroveProcess.Result(
        process.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  @Order(1)
  void theShopServesItsPageThroughKubectlPortForwardAndTheServerLogsTheRequest() throws Exception {
    GroveProcess.Result deploy = grove(shop, "deploy");
    assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isZero();

    int local = GroveProcess.freePort();
    Path forwardOut = dir.resolve("port-forward.out");
    Process forward =
        new ProcessBuilder(
                "kubectl",
                "--kubeconfig",
                home.resolve("sandbox/kubeconfig").toString(),
                "--context",
                "grove-sandbox",
                "-n",
                SHOP_NS,
                "port-forward",
                "svc/web",
                local + ":80")
            .redirectErrorStream(true)
            .redirectOutput(forwardOut.toFile())
            .start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpResponse<String> page = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (page == null) {
        try {
          page =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError(
                "no page through kubectl port-forward within 30 s: "
                    + e
                    + "\n"
                    + Files.readString(forwardOut),
                e);
          }
          Thread.sleep(300);
        }
      }
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Welcome to the shop");

      // the web pod asks the backend through its Service's name and ClusterIP
      HttpResponse<String> items =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/cgi-bin/items"))
                  .timeout(Duration.ofSeconds(15))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(items.statusCode()).isEqualTo(200);
      assertThat(items.body()).contains("apples").contains("servedBy");
    } finally {
      forward.destroy();
      if (!forward.waitFor(5, TimeUnit.SECONDS)) {
        forward.destroyForcibly();
      }
    }

    // busybox httpd's own request log line (-vv), read from the container's CRI log
    GroveProcess.Result logs = grove(shop, "logs", "web");
    assertThat(logs.exitCode()).as(logs.out() + logs.err()).isZero();
    assertThat(logs.out()).contains("url:/").contains("url:/cgi-bin/items");
    assertThat(logs.out()).doesNotContain("[grove-sandbox]");
  }

  @Test
  @Order(2)
  void kubectlExecRunsLsInAContainer() throws Exception {
    GroveProcess.Result ls =
        kubectl(
            Duration.ofSeconds(30),
            "-n",
            SHOP_NS,
            "exec",
            "deploy/backend",
            "--",
            "ls",
            "/srv/backend");
    assertThat(ls.exitCode()).as(ls.out() + ls.err()).isZero();
    assertThat(ls.out()).contains("cgi-bin");
  }

  @Test
  @Order(3)
  void aPodWithoutItsPullSecretFailsWithContainerdsErrorAndGrovesDiagnosis() throws Exception {
    Path backend = shop.resolve("backend.garden.yml");
    String fixed = Files.readString(backend);
    Files.writeString(
        backend,
        fixed.substring(0, fixed.indexOf("  patchResources:")) + "\n",
        StandardCharsets.UTF_8);
    try {
      grove(shop, "delete", "deploy", "backend");
      long start = System.nanoTime();
      GroveProcess.Result broken = grove(shop, "deploy", "backend");
      long seconds = (System.nanoTime() - start) / 1_000_000_000;
      String output = broken.out() + broken.err();
      assertThat(broken.exitCode()).as(output).isEqualTo(1);
      assertThat(seconds).as("failed fast: " + output).isLessThan(40);
      assertThat(output)
          .containsAnyOf("ErrImagePull", "ImagePullBackOff")
          .containsIgnoringCase("unauthorized")
          .contains("imagePullSecrets: none");
    } finally {
      Files.writeString(backend, fixed, StandardCharsets.UTF_8);
    }
    GroveProcess.Result back = grove(shop, "deploy", "backend");
    assertThat(back.exitCode()).as(back.out() + back.err()).isZero();
  }

  @Test
  @Order(4)
  void aContainerThatExitsOneGoesCrashLoopBackOffAndFailsTheDeployFastWithItsLastLines()
      throws Exception {
    long start = System.nanoTime();
    GroveProcess.Result crash = grove(pods, "deploy", "crash");
    long seconds = (System.nanoTime() - start) / 1_000_000_000;
    String output = crash.out() + crash.err();
    assertThat(crash.exitCode()).as(output).isEqualTo(1);
    assertThat(seconds).as("failed fast, not after the timeout: " + output).isLessThan(60);
    assertThat(output).contains("CrashLoopBackOff").contains("fatal: /etc/app/config.yml");
    Pod pod =
        cluster.pods().inNamespace(PODS_NS).withLabel("app", "crash").list().getItems().get(0);
    var state = pod.getStatus().getContainerStatuses().get(0);
    assertThat(state.getRestartCount()).isPositive();
    assertThat(state.getLastState().getTerminated().getExitCode()).isEqualTo(1);
  }

  @Test
  @Order(5)
  void aJobRunsToCompletion() throws Exception {
    GroveProcess.Result migrate = grove(pods, "deploy", "migrate");
    assertThat(migrate.exitCode()).as(migrate.out() + migrate.err()).isZero();
    Job job = cluster.batch().v1().jobs().inNamespace(PODS_NS).withName("migrate").get();
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    Pod pod =
        cluster
            .pods()
            .inNamespace(PODS_NS)
            .withLabel("job-name", "migrate")
            .list()
            .getItems()
            .get(0);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(cluster.pods().inNamespace(PODS_NS).withName(pod.getMetadata().getName()).getLog())
        .contains("migrating 3 tables")
        .contains("migrated");
  }

  @Test
  @Order(6)
  void aReadinessProbeThatNeverPassesKeepsTheRolloutWaitingUntilGrovesTimeoutNamesIt()
      throws Exception {
    long start = System.nanoTime();
    GroveProcess.Result unready = grove(pods, "deploy", "unready");
    long seconds = (System.nanoTime() - start) / 1_000_000_000;
    String output = unready.out() + unready.err();
    assertThat(unready.exitCode()).as(output).isEqualTo(1);
    assertThat(seconds).as("waited for the 20 s timeout: " + output).isBetween(18L, 60L);
    assertThat(output).contains("unready").contains("20");
    Pod pod =
        cluster.pods().inNamespace(PODS_NS).withLabel("app", "unready").list().getItems().get(0);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    assertThat(pod.getStatus().getContainerStatuses().get(0).getReady()).isFalse();
  }
}
