package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.actions.helm.HelmOps;
import dev.grove.actions.helm.HelmProcess;
import dev.grove.actions.kube.SandboxFiles;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm Deploys across real processes: the CLI, the daemon (Helm in its worker process), the sandbox
 * (API + simulated kubelet asking the registry for each image with the pod's pull secrets) and the
 * registry. The chart of {@code projects/helm-shop} runs the image of a {@code container} Build.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmE2E {
  private static final Path FIXTURE =
      Path.of("src/test/resources/projects/helm-shop").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Garden's namespace: the project's name, then the environment's namespace. */
  private static final String NS = "helm-shop-helm-dev";

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
    project = GroveProcess.copyTree(FIXTURE, dir.resolve("helm-shop"));
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

  private static GroveProcess.Result grove(Path root, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--root", root.toString(), "--var", "registryPort=" + registryPort));
    return grove.run(Map.of("NO_COLOR", "1"), all.toArray(String[]::new));
  }

  /** The release's Helm storage Secrets, by revision. */
  private static List<String> releaseSecrets(String namespace, String release) {
    return cluster
        .secrets()
        .inNamespace(namespace)
        .withLabel("owner", "helm")
        .withLabel("name", release)
        .list()
        .getItems()
        .stream()
        .map(Secret::getMetadata)
        .map(m -> m.getName() + "=" + m.getLabels().get("status"))
        .sorted()
        .toList();
  }

  @Test
  @Order(1)
  void deployInstallsTheReleaseWithTheBuiltImageLabelledByGrove() throws Exception {
    GroveProcess.Result deploy = grove(project, "deploy");
    assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isZero();
    assertThat(releaseSecrets(NS, "web")).containsExactly("sh.helm.release.v1.web.v1=deployed");
    Deployment web = cluster.apps().deployments().inNamespace(NS).withName("web-web").get();
    assertThat(web.getMetadata().getLabels()).containsEntry("grove.dev/action", "deploy.web");
    assertThat(web.getMetadata().getAnnotations()).containsKey("grove.dev/version");
    assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .startsWith("127.0.0.1:" + registryPort + "/shop/web:");
    assertThat(web.getStatus().getAvailableReplicas()).isEqualTo(1);
    assertThat(cluster.configMaps().inNamespace(NS).withName("web-config").get().getData())
        .containsEntry("GREETING", "hello");
    assertThat(cluster.services().inNamespace(NS).withName("web-web").get()).isNotNull();

    GroveProcess.Result logs = grove(project, "logs", "web");
    assertThat(logs.exitCode()).as(logs.out() + logs.err()).isZero();
    assertThat(logs.out()).contains("deploy.web web-web-").contains("started container web");
  }

  @Test
  @Order(2)
  void aSecondDeployLeavesTheReleaseAlone() throws Exception {
    GroveProcess.Result again = grove(project, "deploy", "--output", "json");
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    for (JsonNode action : JSON.readTree(again.out()).path("actions")) {
      assertThat(action.path("state").asText()).as(action.toString()).isEqualTo("ready");
    }
    assertThat(releaseSecrets(NS, "web")).containsExactly("sh.helm.release.v1.web.v1=deployed");
  }

  @Test
  @Order(3)
  void aValuesChangeUpgradesToRevisionTwo() throws Exception {
    GroveProcess.Result upgrade = grove(project, "deploy", "--var", "greeting=bonjour");
    assertThat(upgrade.exitCode()).as(upgrade.out() + upgrade.err()).isZero();
    assertThat(releaseSecrets(NS, "web"))
        .containsExactly(
            "sh.helm.release.v1.web.v1=superseded", "sh.helm.release.v1.web.v2=deployed");
    assertThat(cluster.configMaps().inNamespace(NS).withName("web-config").get().getData())
        .containsEntry("GREETING", "bonjour");
  }

  @Test
  @Order(4)
  void aHelmCliSeesTheSameRelease() throws Exception {
    Path helm =
        java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
            .map(folder -> Path.of(folder, "helm"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    Assumptions.assumeTrue(
        helm != null,
        "No helm binary on PATH: the check that a user's own helm lists Grove's release (revision"
            + " 2, deployed) is skipped; it runs where one is installed");
    Process list =
        new ProcessBuilder(
                helm.toString(),
                "history",
                "web",
                "--namespace",
                NS,
                "--kubeconfig",
                dir.resolve("grove-home/sandbox/kubeconfig").toString(),
                "--output",
                "json")
            .redirectErrorStream(true)
            .start();
    assertThat(list.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String out = new String(list.getInputStream().readAllBytes());
    assertThat(list.exitValue()).as(out).isZero();
    assertThat(out).contains("\"revision\":2").contains("\"status\":\"deployed\"");
  }

  @Test
  @Order(4)
  void renderPrintsTheChartsManifestsOffline() throws Exception {
    Path out = dir.resolve("rendered");
    GroveProcess.Result render = grove(project, "render", "--output-dir", out.toString());
    assertThat(render.exitCode()).as(render.out() + render.err()).isZero();
    String web = Files.readString(out.resolve("deploy.web.yaml"));
    assertThat(web)
        .contains("kind: Deployment")
        .contains("kind: Service")
        .contains("kind: ConfigMap")
        .contains("grove.dev/action: deploy.web")
        .contains("name: grove-sandbox-registry");
  }

  @Test
  @Order(5)
  void aChartWithoutThePullSecretIsLintedAndFailsFastNamingIt() throws Exception {
    Path variant = GroveProcess.copyTree(FIXTURE, dir.resolve("no-secret"));
    Path config = variant.resolve("helm.garden.yml");
    Files.writeString(
        config,
        Files.readString(config)
                .replace("    imagePullSecrets:\n      - name: ${var.imagePullSecretName}\n", "")
            + "  namespace: helm-no-secret\n");
    GroveProcess.Result validate = grove(variant, "validate");
    assertThat(validate.out() + validate.err())
        .contains("helm.garden.yml")
        .contains("Deployment web-web pulls 127.0.0.1:" + registryPort)
        .contains("no imagePullSecrets");

    long start = System.nanoTime();
    GroveProcess.Result deploy = grove(variant, "deploy");
    long seconds = (System.nanoTime() - start) / 1_000_000_000;
    String output = deploy.out() + deploy.err();
    assertThat(deploy.exitCode()).as(output).isEqualTo(1);
    assertThat(seconds).as("failed fast, not after Helm's 300 s timeout").isLessThan(120);
    assertThat(output)
        .contains("deploy.web")
        .containsAnyOf("ErrImagePull", "ImagePullBackOff")
        .contains("127.0.0.1:" + registryPort)
        .contains("chart's values")
        .contains("spec.imagePullSecrets: provider");
    assertThat(grove(variant, "delete", "deploy").exitCode()).isZero();
  }

  @Test
  @Order(6)
  void theSameChartFromTheSandboxRegistryInstallsFromOci() throws Exception {
    SandboxFiles.Registry registry =
        SandboxFiles.registry(Map.of("GROVE_HOME", dir.resolve("grove-home").toString()))
            .orElseThrow();
    List<HelmOps.RegistryLogin> logins =
        List.of(
            new HelmOps.RegistryLogin(registry.host(), registry.user(), registry.password(), true));
    HelmOps.Bounds bounds = new HelmOps.Bounds(Duration.ofMinutes(2), null);
    try (HelmProcess helm = new HelmProcess(dir.resolve("helm"))) {
      Path chart = helm.packageChart(FIXTURE.resolve("chart"), dir.resolve("packaged"), bounds);
      helm.push(chart, "oci://" + registry.host() + "/charts", logins, bounds);
    }
    Path variant = GroveProcess.copyTree(FIXTURE, dir.resolve("oci"));
    Path config = variant.resolve("helm.garden.yml");
    Files.writeString(
        config,
        Files.readString(config)
                .replace(
                    "    path: chart\n",
                    "    url: oci://" + registry.host() + "/charts/shop-web\n    version: 0.1.0\n")
            + "  namespace: helm-oci\n");
    GroveProcess.Result deploy = grove(variant, "deploy");
    assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isZero();
    assertThat(releaseSecrets("helm-oci", "web"))
        .containsExactly("sh.helm.release.v1.web.v1=deployed");
    assertThat(cluster.configMaps().inNamespace("helm-oci").withName("web-config").get().getData())
        .containsEntry("GREETING", "hello");
    assertThat(grove(variant, "delete", "deploy").exitCode()).isZero();
    assertThat(releaseSecrets("helm-oci", "web")).isEmpty();
  }

  @Test
  @Order(7)
  void deleteUninstallsTheRelease() throws Exception {
    GroveProcess.Result delete = grove(project, "delete", "deploy");
    assertThat(delete.exitCode()).as(delete.out() + delete.err()).isZero();
    assertThat(releaseSecrets(NS, "web")).isEmpty();
    assertThat(cluster.apps().deployments().inNamespace(NS).withName("web-web").get()).isNull();
    assertThat(cluster.configMaps().inNamespace(NS).withName("web-config").get()).isNull();
  }
}
