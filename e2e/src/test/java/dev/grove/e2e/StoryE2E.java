package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * The private-registry story across real processes: the CLI, the daemon, the sandbox (API +
 * simulated kubelet that really asks the registry for each image with the pod's pull secrets) and
 * the registry. {@code examples/shop} is deployed in variants.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoryE2E {
  private static final Path SHOP = Path.of("../examples/shop").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "shop-dev";

  @TempDir static Path dir;
  private static GroveProcess grove;
  private static KubernetesClient cluster;
  private static int registryPort;
  private static Path shop;
  private static String skipped;

  @BeforeAll
  static void setUp() throws Exception {
    start();
  }

  /** Starts the sandbox ({@code grove sandbox up} with these options) and connects to it. */
  static void start(String... upOptions) throws Exception {
    skipped = null; // StoryK3sE2E shares these fields
    cluster = null;
    Path home = Files.createDirectories(dir.resolve("grove-home"));
    grove = new GroveProcess(home, dir);
    try (ServerSocket socket = new ServerSocket(0)) {
      registryPort = socket.getLocalPort();
    }
    List<String> up = new java.util.ArrayList<>(List.of("sandbox", "up"));
    up.addAll(List.of(upOptions));
    up.addAll(List.of("--registry-port", String.valueOf(registryPort)));
    boolean k3s = List.of(upOptions).contains("--k3s");
    if (k3s) {
      grove.timeout(java.time.Duration.ofMinutes(6)); // image pulls from the internet
    }
    GroveProcess.Result started = grove.run(up.toArray(String[]::new));
    if (k3s
        && started.exitCode() == 2
        && (started.out() + started.err()).contains("No Docker engine")) {
      skipped =
          "No Docker engine answers here: the story on K3s (`grove sandbox up --k3s`) is skipped;"
              + " it runs where one does";
      return;
    }
    assertThat(started.exitCode()).as(started.out() + started.err()).isZero();
    GroveProcess.Result status = grove.run("sandbox", "status", "--output", "json");
    JsonNode sandbox = JSON.readTree(status.out());
    assertThat(sandbox.path("running").asBoolean()).isTrue();
    assertThat(sandbox.path("context").asText()).isEqualTo("grove-sandbox");
    assertThat(sandbox.path("registry").asText()).isEqualTo("127.0.0.1:" + registryPort);
    assertThat(sandbox.path("pullSecret").asText()).isEqualTo("grove-sandbox-registry");
    cluster =
        new KubernetesClientBuilder()
            .withConfig(
                Config.fromKubeconfig("grove-sandbox", home.resolve("sandbox/kubeconfig").toFile()))
            .build();
    shop = GroveProcess.copyTree(SHOP, dir.resolve("shop"));
  }

  /** Every step is skipped, saying why, when the sandbox cannot exist here (K3s, no engine). */
  @BeforeEach
  void sandboxExists() {
    Assumptions.assumeTrue(skipped == null, skipped);
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
      if (skipped == null) {
        assertThat(down.out()).contains("sandbox: stopped the sandbox and removed its data");
      }
      GroveProcess.Result again = grove.run("sandbox", "down");
      assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
      assertThat(again.out()).contains("sandbox: was not running").doesNotContain("stopped");
    }
  }

  private static GroveProcess.Result grove(Path project, String... args) throws Exception {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--root";
    all[args.length + 1] = project.toString();
    all[args.length + 2] = "--var";
    all[args.length + 3] = "registryPort=" + registryPort;
    return grove.run(Map.of("NO_COLOR", "1"), all);
  }

  private static Path variant(String name) throws Exception {
    return GroveProcess.copyTree(SHOP, dir.resolve(name));
  }

  private static List<String> pullSecrets(Deployment deployment) {
    List<LocalObjectReference> refs =
        deployment.getSpec().getTemplate().getSpec().getImagePullSecrets();
    return refs == null ? List.of() : refs.stream().map(LocalObjectReference::getName).toList();
  }

  private static String buildVersion(Path project, String build) throws Exception {
    JsonNode graph = JSON.readTree(grove(project, "graph", "--output", "json").out());
    for (JsonNode action : graph.path("actions")) {
      if (action.path("ref").asText().equals("build." + build)) {
        return action.path("version").asText();
      }
    }
    throw new AssertionError("no build." + build);
  }

  @Test
  @Order(1)
  void aKubernetesDeployWithoutAPullSecretFailsFastWhileTheContainerDeployRuns() throws Exception {
    Path project = variant("no-secret");
    Files.writeString(
        project.resolve("backend.garden.yml"),
        "kind: Deploy\ntype: kubernetes\nname: backend\ndependencies: [build.backend]\n"
            + "spec:\n  files: [backend/deployment.yml]\n");
    Path web = project.resolve("web/garden.yml");
    Files.writeString(web, Files.readString(web).replace("dependencies: [deploy.backend]\n", ""));

    long start = System.nanoTime();
    GroveProcess.Result deploy = grove(project, "deploy");
    long seconds = (System.nanoTime() - start) / 1_000_000_000;

    String output = deploy.out() + deploy.err();
    assertThat(deploy.exitCode()).as(output).isEqualTo(1);
    assertThat(seconds).as("failed fast, not after the 300 s timeout").isLessThan(120);
    assertThat(output)
        .contains("deploy.backend")
        .containsAnyOf("ErrImagePull", "ImagePullBackOff")
        .contains("127.0.0.1:" + registryPort)
        .contains("imagePullSecrets: none")
        .contains("imagePullSecrets: provider");
    assertThat(output).contains("deploy.web succeeded");
    assertThat(grove(project, "delete", "deploy").exitCode()).isZero();
  }

  @Test
  @Order(2)
  void withTheSeedsPatchEveryWorkloadRunsLabelledWithBuildTagsAndTheSecretCopied()
      throws Exception {
    GroveProcess.Result deploy = grove(shop, "deploy");
    assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isZero();

    Deployment backend = cluster.apps().deployments().inNamespace(NS).withName("backend").get();
    Deployment web = cluster.apps().deployments().inNamespace(NS).withName("web").get();
    for (Deployment deployment : List.of(backend, web)) {
      assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(1);
      assertThat(deployment.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "grove");
      assertThat(deployment.getMetadata().getAnnotations()).containsKey("grove.dev/version");
      assertThat(pullSecrets(deployment)).containsExactly("grove-sandbox-registry");
    }
    assertThat(backend.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("127.0.0.1:" + registryPort + "/shop/backend:" + buildVersion(shop, "backend"));
    assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("127.0.0.1:" + registryPort + "/shop/web:" + buildVersion(shop, "web"));
    assertThat(cluster.secrets().inNamespace(NS).withName("grove-sandbox-registry").get())
        .isNotNull();
    assertThat(cluster.pods().inNamespace(NS).withLabel("app", "backend").list().getItems())
        .isNotEmpty()
        .allSatisfy(pod -> assertThat(pod.getStatus().getPhase()).isEqualTo("Running"));
  }

  @Test
  @Order(3)
  void aSecondDeployAppliesNothing() throws Exception {
    String before =
        cluster
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("backend")
            .get()
            .getMetadata()
            .getResourceVersion();
    GroveProcess.Result again = grove(shop, "deploy", "--output", "json");
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    JsonNode result = JSON.readTree(again.out());
    for (JsonNode action : result.path("actions")) {
      assertThat(action.path("state").asText()).as(action.toString()).isEqualTo("ready");
    }
    assertThat(
            cluster
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("backend")
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(before);
  }

  @Test
  @Order(4)
  void renderWritesWhatDeployApplied() throws Exception {
    Path out = dir.resolve("rendered");
    GroveProcess.Result render = grove(shop, "render", "--output-dir", out.toString());
    assertThat(render.exitCode()).as(render.out() + render.err()).isZero();
    String backend = Files.readString(out.resolve("deploy.backend.yaml"));
    Deployment applied = cluster.apps().deployments().inNamespace(NS).withName("backend").get();
    assertThat(backend)
        .contains(
            "image: " + applied.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .contains("name: grove-sandbox-registry")
        .contains(
            "grove.dev/version: "
                + applied.getMetadata().getAnnotations().get("grove.dev/version"));
    assertThat(Files.readString(out.resolve("deploy.web.yaml"))).contains("kind: Service");
  }

  @Test
  @Order(5)
  void imagePullSecretsProviderRunsWithoutAPatch() throws Exception {
    Path project = variant("provider");
    Files.writeString(
        project.resolve("backend.garden.yml"),
        "kind: Deploy\ntype: kubernetes\nname: backend\ndependencies: [build.backend]\n"
            + "spec:\n  files: [backend/deployment.yml]\n  imagePullSecrets: provider\n"
            + "  namespace: shop-provider\n");
    GroveProcess.Result deploy = grove(project, "deploy", "backend");
    assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isZero();
    Deployment backend =
        cluster.apps().deployments().inNamespace("shop-provider").withName("backend").get();
    assertThat(pullSecrets(backend)).containsExactly("grove-sandbox-registry");
    assertThat(backend.getStatus().getAvailableReplicas()).isEqualTo(1);
    assertThat(grove(project, "delete", "deploy", "backend").exitCode()).isZero();
  }

  @Test
  @Order(6)
  void anObjectRemovedFromTheManifestIsPruned() throws Exception {
    Path manifest = shop.resolve("backend/deployment.yml");
    String text = Files.readString(manifest);
    Files.writeString(manifest, text.substring(0, text.indexOf("---")));
    GroveProcess.Result deploy = grove(shop, "deploy", "backend");
    assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isZero();
    assertThat(cluster.services().inNamespace(NS).withName("backend").get()).isNull();
    assertThat(cluster.apps().deployments().inNamespace(NS).withName("backend").get()).isNotNull();
  }

  @Test
  @Order(7)
  void deleteDeployLeavesNothingOfTheActionBehind() throws Exception {
    GroveProcess.Result delete = grove(shop, "delete", "deploy", "backend");
    assertThat(delete.exitCode()).as(delete.out() + delete.err()).isZero();
    assertThat(
            cluster
                .apps()
                .deployments()
                .inNamespace(NS)
                .withLabel("grove.dev/action", "deploy.backend")
                .list()
                .getItems())
        .isEmpty();
    assertThat(
            cluster
                .configMaps()
                .inNamespace(NS)
                .withLabel("grove.dev/action", "deploy.backend")
                .list()
                .getItems())
        .isEmpty();
    // pods go as a cluster's garbage collector gets to them: soon, not at once
    for (int i = 0; i < 100; i++) {
      if (cluster.pods().inNamespace(NS).withLabel("app", "backend").list().getItems().isEmpty()) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(cluster.pods().inNamespace(NS).withLabel("app", "backend").list().getItems())
        .isEmpty();
    assertThat(cluster.apps().deployments().inNamespace(NS).withName("web").get()).isNotNull();
  }
}
