package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.actions.kube.GroveLabels;
import dev.grove.sandbox.node.ContainerdNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox with real containers (containerd under the sandbox's kubelet): the shop serves its
 * page through {@code kubectl port-forward}, its logs are the server's own, {@code kubectl exec}
 * runs in a container, and the failures users meet (a crash loop, a probe that never passes, a pull
 * without its secret) are reported as they happen. Skipped, saying why, where the sandbox cannot
 * run containerd (not root, containerd or runc missing): {@code sandbox status} names it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainersE2E {
  private static final Path SHOP = Path.of("../examples/shop").toAbsolutePath().normalize();
  private static final Path REAL_PODS =
      Path.of("src/test/resources/projects/real-pods").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static GroveProcess grove;
  private static KubernetesClient cluster;
  private static int registryPort;
  private static String skipped;

  @BeforeAll
  static void setUp() throws Exception {
    grove =
        new GroveProcess(Files.createDirectories(dir.resolve("grove-home")), dir)
            .realContainers()
            .timeout(Duration.ofSeconds(180));
    registryPort = GroveProcess.freePort();
    cluster = grove.sandboxUp(registryPort);
    JsonNode status = JSON.readTree(grove.run("sandbox", "status", "--output", "json").out());
    if (!status.path("runtime").asText().equals("containerd")) {
      skipped =
          "the sandbox runs simulated pods here ("
              + status.path("runtimeReason").asText(status.toString())
              + "): the real-container scenarios need root, containerd, runc and the CNI plugins";
    }
  }

  @BeforeEach
  void containerdRuns() {
    Assumptions.assumeTrue(skipped == null, skipped);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (grove != null) {
      grove.stopDaemonAndSandbox();
      Path node = dir.resolve("grove-home/sandbox/node").toAbsolutePath();
      assertThat(Path.of("/var/run/netns", ContainerdNode.namespaceOf(node)))
          .as("the node's network namespace is gone")
          .doesNotExist();
      assertThat(
              ProcessHandle.allProcesses()
                  .filter(p -> p.info().commandLine().orElse("").contains(node.toString())))
          .as("containerd and its shims are gone")
          .isEmpty();
    }
  }

  private static GroveProcess.Result grove(Path project, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--root", project.toString(), "--var", "registryPort=" + registryPort));
    return grove.run(all.toArray(String[]::new));
  }

  private static String kubeconfig() {
    return dir.resolve("grove-home/sandbox/kubeconfig").toString();
  }

  /** kubectl against the sandbox, bounded; its output (stdout and stderr). */
  private static GroveProcess.Result kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "kubectl", ".txt");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
    }
    return new GroveProcess.Result(process.exitValue(), Files.readString(out), "");
  }

  @Test
  @Order(1)
  void theShopServesItsPageThroughPortForwardAndLogsTheRealRequest() throws Exception {
    Path shop = GroveProcess.copyTree(SHOP, dir.resolve("shop"));
    GroveProcess.Result deploy = grove(shop, "deploy");
    assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isZero();

    int local = GroveProcess.freePort();
    Path forwardLog = dir.resolve("port-forward.txt");
    Process forward =
        new ProcessBuilder(
                "kubectl",
                "--kubeconfig",
                kubeconfig(),
                "-n",
                "shop-dev",
                "port-forward",
                "--address",
                "127.0.0.1",
                "svc/web",
                local + ":80")
            .redirectErrorStream(true)
            .redirectOutput(forwardLog.toFile())
            .start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> page = get(http, "http://127.0.0.1:" + local + "/", forwardLog);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Welcome to the shop");

      // The page's items come from the backend, through its Service's name inside the cluster.
      HttpResponse<String> items =
          get(http, "http://127.0.0.1:" + local + "/cgi-bin/items", forwardLog);
      assertThat(items.statusCode()).isEqualTo(200);
      assertThat(items.body()).contains("\"apples\"").contains("\"servedBy\": \"backend-");
    } finally {
      forward.destroy();
      if (!forward.waitFor(10, TimeUnit.SECONDS)) {
        forward.destroyForcibly();
      }
    }

    // busybox httpd -vv logs each request: the page fetched above is in `grove logs`.
    GroveProcess.Result logs = grove(shop, "logs", "web");
    assertThat(logs.exitCode()).as(logs.out() + logs.err()).isZero();
    assertThat(logs.out()).contains("deploy.web").contains("url:/").contains("url:/cgi-bin/items");

    GroveProcess.Result ls =
        kubectl("-n", "shop-dev", "exec", "deploy/web", "--", "ls", "/srv/web");
    assertThat(ls.exitCode()).as(ls.out()).isZero();
    assertThat(ls.out()).contains("index.html").contains("cgi-bin");

    // fabric8's exec() and portForward() (what Grove's own exec and forwards build on)
    String web =
        cluster
            .pods()
            .inNamespace("shop-dev")
            .withLabel(GroveLabels.NAME, "web")
            .list()
            .getItems()
            .get(0)
            .getMetadata()
            .getName();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (ExecWatch exec =
        cluster
            .pods()
            .inNamespace("shop-dev")
            .withName(web)
            .writingOutput(out)
            .exec("cat", "/srv/web/index.html")) {
      assertThat(exec.exitCode().get(30, TimeUnit.SECONDS)).isZero();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!out.toString(StandardCharsets.UTF_8).contains("</script>")
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Welcome to the shop");
    try (LocalPortForward tunnel =
        cluster.pods().inNamespace("shop-dev").withName(web).portForward(3000)) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + tunnel.getLocalPort() + "/index.html"))
                  .timeout(Duration.ofSeconds(15))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Welcome to the shop");
    }
  }

  /** GET through the port-forward, retried while kubectl is still starting to listen. */
  private static HttpResponse<String> get(HttpClient http, String url, Path forwardLog)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "GET " + url + " failed: " + e + "; kubectl said: " + Files.readString(forwardLog),
              e);
        }
        Thread.sleep(200);
      }
    }
  }

  /**
   * Deploys {@code name} of the real-pods fixture (a copy of its own), which must fail within
   * {@code min}..{@code max} seconds; what it printed.
   */
  private static String failedDeploy(String name, long min, long max) throws Exception {
    Path project = GroveProcess.copyTree(REAL_PODS, dir.resolve(name));
    long start = System.nanoTime();
    GroveProcess.Result deploy = grove(project, "deploy", name);
    long seconds = (System.nanoTime() - start) / 1_000_000_000;
    String output = deploy.out() + deploy.err();
    assertThat(deploy.exitCode()).as(output).isEqualTo(1);
    assertThat(seconds).as("failed in " + min + "–" + max + " s: " + output).isBetween(min, max);
    return output;
  }

  /** The pod of the fixture's container Deploy {@code name}. */
  private static Pod pod(String name) {
    return cluster
        .pods()
        .inNamespace("real-pods-dev")
        .withLabel(GroveLabels.NAME, name)
        .list()
        .getItems()
        .get(0);
  }

  @Test
  @Order(2)
  void aCrashingContainerFailsTheDeployFastWithItsLastLogLines() throws Exception {
    // not after the 300 s timeout
    String output = failedDeploy("crash", 0, 89);
    assertThat(output)
        .contains("deploy.crash")
        .contains("CrashLoopBackOff")
        .contains("it exited with code 1; its last log lines:")
        .contains("| fatal: /etc/app/config.yml: no such file");
    assertThat(
            pod("crash").getStatus().getContainerStatuses().get(0).getLastState().getTerminated())
        .isNotNull()
        .satisfies(terminated -> assertThat(terminated.getExitCode()).isEqualTo(1));
  }

  @Test
  @Order(3)
  void aJobRunsToCompletion() throws Exception {
    Path project = GroveProcess.copyTree(REAL_PODS, dir.resolve("job"));
    GroveProcess.Result deploy = grove(project, "deploy", "migrate");
    assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isZero();
    Job job = cluster.batch().v1().jobs().inNamespace("real-pods-dev").withName("migrate").get();
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    GroveProcess.Result logs = grove(project, "logs", "migrate");
    assertThat(logs.out()).as(logs.out() + logs.err()).contains("migrated 3 tables");
  }

  @Test
  @Order(4)
  void aPullWithoutTheSecretFailsWithContainerdsErrorAndTheDiagnosis() throws Exception {
    String output = failedDeploy("no-secret", 0, 89);
    assertThat(output)
        .contains("deploy.no-secret")
        .containsAnyOf("ErrImagePull", "ImagePullBackOff")
        .contains("127.0.0.1:" + registryPort + "/grove/busybox:1.35")
        // containerd's own words for the registry's 401
        .containsIgnoringCase("unauthorized")
        .contains("imagePullSecrets: none");
  }

  @Test
  @Order(5)
  void aReadinessProbeThatNeverPassesHoldsTheRolloutUntilTheTimeoutNamesIt() throws Exception {
    // held until the 20 s timeout
    String output = failedDeploy("unready", 18, 90);
    assertThat(output)
        .contains("deploy.unready")
        .contains("did not finish within 20 s")
        .contains("runs but is not ready (readiness probe: httpGet /healthz on port 8080)")
        .contains("Readiness probe failed: HTTP probe failed with statuscode: 404");
    Pod pod = pod("unready");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    assertThat(pod.getStatus().getContainerStatuses().get(0).getReady()).isFalse();
  }

  private static final Path POD_TESTS =
      Path.of("src/test/resources/projects/pod-tests").toAbsolutePath();

  /** Where issue 17's pod Tests run: the pod-tests project's namespace. */
  private static final String TESTS_NAMESPACE = "pod-tests-dev";

  @Test
  @Order(6)
  void testsAndRunsRunInPodsShowTheirOutputCopyArtifactsAndKeepTheirResultInTheCluster()
      throws Exception {
    Path project = GroveProcess.copyTree(POD_TESTS, dir.resolve("pod-tests"));
    GroveProcess.Result test = grove(project, "test");
    String out = test.out() + test.err();
    assertThat(test.exitCode()).as(out).isEqualTo(1);
    assertThat(out)
        // a container Test from the project's own image, its output live, its artifact copied
        .contains("test.unit | check 3 ok")
        .contains("test.unit | 3 checks passed")
        .contains("test.unit | grove: copied 1 artifact file out of pod test-unit-")
        .containsPattern("test.unit succeeded")
        // a failing one: exit code and output
        .contains("test.failing | expected 200, got 503")
        .contains("exited with code 3 in pod test-failing-")
        // a pod that cannot start fails at once, as a Deploy would
        .containsPattern("test.missing-image failed \\([0-9.]+ s\\)")
        .contains("ErrImagePull")
        // one that hangs is held to its timeout (its command runs through exec: artifacts)
        .contains("test.hangs | waiting for the database")
        .contains("did not end within its timeout of 5 s")
        // kubernetes-exec in this project's api pod and in the shop's web pod
        .contains("test.smoke | api answers")
        .contains("test.shop-page | 1")
        .containsPattern("test.shop-page succeeded")
        // kubernetes-pod: a workload of its manifests, its env and the action's command and env
        .contains("test.worker-config | queue=orders mode=check")
        // helm-pod: the workload the chart renders with the action's values
        .contains("test.chart-greeting | hello from the chart");
    // the api waited for the Run it depends on
    assertThat(out.indexOf("run.seed | seeded 5 rows")).isPositive();
    assertThat(out.indexOf("run.seed succeeded")).isLessThan(out.indexOf("deploy.api processing"));
    assertThat(project.resolve(".grove/artifacts/unit-reports/report.txt"))
        .hasContent("3 checks passed");
    assertThat(
            cluster
                .pods()
                .inNamespace(TESTS_NAMESPACE)
                .withLabel(GroveLabels.ACTION, "test.unit")
                .list()
                .getItems())
        .as("the Test's pod is deleted after it ran")
        .isEmpty();
    assertThat(
            cluster
                .pods()
                .inNamespace(TESTS_NAMESPACE)
                .withLabel(GroveLabels.ACTION, "test.hangs")
                .list()
                .getItems())
        .as("the pod of the Test that timed out is deleted too")
        .isEmpty();
    assertThat(
            cluster
                .configMaps()
                .inNamespace(TESTS_NAMESPACE)
                .withName("grove-result.test.unit")
                .get())
        .as("the result is kept in the cluster")
        .isNotNull();

    // a teammate's machine (no local results): the cluster's pass counts, nothing runs
    GroveProcess.copyTree(POD_TESTS, dir.resolve("teammate"));
    GroveProcess.Result cached = grove(dir.resolve("teammate"), "test", "unit");
    assertThat(cached.exitCode()).as(cached.out() + cached.err()).isZero();
    assertThat(cached.out()).contains("test.unit ready (passed").doesNotContain("started pod");
    GroveProcess.Result teammates = grove(dir.resolve("teammate"), "get", "test-result", "unit");
    assertThat(teammates.out())
        .as("the result is read from the cluster: " + teammates.err())
        .contains("passed")
        .contains("3 checks passed");

    GroveProcess.Result forced = grove(project, "test", "unit", "--force");
    assertThat(forced.exitCode()).as(forced.out() + forced.err()).isZero();
    assertThat(forced.out()).contains("started pod test-unit-").contains("test.unit succeeded");

    // --keep-pod: the Run's pod stays up to be looked into
    GroveProcess.Result kept = grove(project, "run", "seed", "--force", "--keep-pod");
    assertThat(kept.exitCode()).as(kept.out() + kept.err()).isZero();
    assertThat(kept.out())
        .contains("run.seed | seeded 5 rows")
        .contains("grove: kept pod run-seed-");
    List<Pod> seedPods =
        cluster
            .pods()
            .inNamespace(TESTS_NAMESPACE)
            .withLabel(GroveLabels.ACTION, "run.seed")
            .list()
            .getItems();
    assertThat(seedPods).hasSize(1);
    GroveProcess.Result inside =
        kubectl(
            "-n",
            TESTS_NAMESPACE,
            "exec",
            seedPods.get(0).getMetadata().getName(),
            "--",
            "sh",
            "-c",
            "echo looked inside");
    assertThat(inside.out()).as(inside.out()).contains("looked inside");

    GroveProcess.Result result = grove(project, "get", "test-result", "failing");
    assertThat(result.out())
        .as(result.out() + result.err())
        .contains("exit code 3")
        .contains("expected 200, got 503");
  }
}
