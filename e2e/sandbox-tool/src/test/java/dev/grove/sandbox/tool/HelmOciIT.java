package dev.grove.sandbox.tool;

import static dev.grove.sandbox.tool.HelmCalls.bounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chart pushed to the sandbox's registry as an OCI artifact ({@code helm push} to {@code
 * oci://127.0.0.1:PORT/charts}) installs from there with the registry's credentials, as {@code
 * grove sandbox up} starts it: the CNCF distribution server with htpasswd auth, and the API as its
 * own process.
 */
class HelmOciIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  @TempDir Path packages;

  private JsonNode run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = new SandboxTool(home, new PrintStream(out, true, StandardCharsets.UTF_8)).run(args);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    return JSON.readTree(printed.strip());
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (ProcessHandle stray : SandboxTool.strays(home.resolve("sandbox").toAbsolutePath())) {
      stray.destroyForcibly();
      stray.onExit().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void a_chart_pushed_to_the_sandbox_registry_installs_from_oci_with_its_credentials()
      throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // simulated pods: the chart's image is no program a real container could run
    JsonNode up = run("up", "--registry-port", String.valueOf(port), "--simulated");
    assertThat(up.path("running").asBoolean()).as(up.toString()).isTrue();
    JsonNode state = JSON.readTree(home.resolve("sandbox").resolve("sandbox.json").toFile());
    String registry = state.path("registry").asText();
    String user = state.path("registryUser").asText();
    String password = state.path("registryPassword").asText();
    Path kubeconfigFile = home.resolve("sandbox").resolve("kubeconfig");
    String kubeconfig = Files.readString(kubeconfigFile);
    URI charts = URI.create("oci://" + registry + "/charts");

    bounded(
        "package",
        () -> new Helm(HelmCalls.chart("web")).packageIt().withDestination(packages).call());
    Path packaged;
    try (Stream<Path> files = Files.list(packages)) {
      packaged = files.filter(f -> f.toString().endsWith(".tgz")).findFirst().orElseThrow();
    }
    assertThat(packaged.getFileName()).hasToString("web-0.1.0.tgz");

    // the registry wants its credentials
    assertThatThrownBy(
            () ->
                bounded(
                    "push without login",
                    () -> Helm.push().withChart(packaged).withRemote(charts).plainHttp().call()))
        .hasMessageContaining("basic credential not found");

    try {
      assertThat(
              bounded(
                  "registry login",
                  () ->
                      Helm.registry()
                          .login()
                          .withHost(registry)
                          .withUsername(user)
                          .withPassword(password)
                          .plainHttp()
                          .call()))
          .contains("Login Succeeded");
      assertThat(
              bounded(
                  "push",
                  () -> Helm.push().withChart(packaged).withRemote(charts).plainHttp().call()))
          .contains("Pushed: " + registry + "/charts/web:0.1.0");

      Release installed =
          bounded(
              "install from oci",
              () ->
                  Helm.install(charts + "/web")
                      .withVersion("0.1.0")
                      .withName("catalog")
                      .withNamespace("default")
                      .withKubeConfigContents(kubeconfig)
                      .plainHttp()
                      .set("greeting", "from oci")
                      .waitReady()
                      .withTimeout(50)
                      .call());

      assertThat(installed.getStatus()).isEqualTo("deployed");
      assertThat(installed.getRevision()).isEqualTo("1");
      assertThat(installed.getChart()).isEqualTo("web-0.1.0");
      try (KubernetesClient kube =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(SandboxTool.CONTEXT, kubeconfigFile.toFile()))
              .build()) {
        ConfigMap config =
            kube.configMaps().inNamespace("default").withName("catalog-config").get();
        assertThat(config).isNotNull();
        assertThat(config.getData()).containsEntry("greeting", "from oci");
        assertThat(
                bounded(
                    "uninstall",
                    () ->
                        Helm.uninstall("catalog")
                            .withNamespace("default")
                            .withKubeConfigContents(kubeconfig)
                            .call()))
            .contains("uninstalled");
        assertThat(
                kube.secrets().inNamespace("default").withLabel("owner", "helm").list().getItems())
            .isEmpty();
      }
    } finally {
      bounded(
          "registry logout", () -> Helm.registry().logout().withHost(registry).plainHttp().call());
    }
    run("down");
  }
}
