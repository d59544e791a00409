package dev.grove.sandbox.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl (1.32, on the PATH) against the sandbox's API, with the bearer token of its kubeconfig:
 * discovery, server-side apply with its default client validation, wait (a watch over HTTP), list
 * as JSON, logs.
 */
class SandboxKubectlIT {

  @TempDir Path dir;

  @Test
  void kubectl_applies_server_side_and_gets_deployments_services_secrets_and_pods()
      throws Exception {
    // kubectl is installed on these machines: missing, it is a failure, not a skip
    assertThat(onPath("kubectl"))
        .as("kubectl is not on the PATH; install it (these machines have kubectl 1.32)")
        .isTrue();
    try (Sandbox sandbox = Sandbox.start(0)) {
      Path kubeconfig =
          Files.writeString(
              dir.resolve("kubeconfig"),
              String.join(
                  "\n",
                  "apiVersion: v1",
                  "kind: Config",
                  "clusters:",
                  "- name: grove-sandbox",
                  "  cluster:",
                  "    server: " + sandbox.url(),
                  "    certificate-authority-data: "
                      + java.util.Base64.getEncoder()
                          .encodeToString(
                              sandbox.certificatePem().getBytes(StandardCharsets.US_ASCII)),
                  "users:",
                  "- name: grove-sandbox",
                  "  user: {token: '" + sandbox.token() + "'}",
                  "contexts:",
                  "- name: grove-sandbox",
                  "  context: {cluster: grove-sandbox, user: grove-sandbox}",
                  "current-context: grove-sandbox",
                  ""));
      Path manifest =
          Files.writeString(
              dir.resolve("shop.yaml"),
              String.join(
                  "\n",
                  "apiVersion: v1",
                  "kind: Namespace",
                  "metadata: {name: shop}",
                  "---",
                  "apiVersion: v1",
                  "kind: Secret",
                  "metadata: {name: settings, namespace: shop}",
                  "stringData: {greeting: hello}",
                  "---",
                  "apiVersion: apps/v1",
                  "kind: Deployment",
                  "metadata: {name: web, namespace: shop}",
                  "spec:",
                  "  replicas: 2",
                  "  selector: {matchLabels: {app: web}}",
                  "  template:",
                  "    metadata: {labels: {app: web}}",
                  "    spec:",
                  "      containers:",
                  "      - name: web",
                  "        image: nginx:1.27",
                  "        ports: [{containerPort: 80}]",
                  "---",
                  "apiVersion: v1",
                  "kind: Service",
                  "metadata: {name: web, namespace: shop}",
                  "spec:",
                  "  selector: {app: web}",
                  "  ports: [{port: 80, targetPort: 80}]",
                  ""));

      String applied = kubectl(kubeconfig, "apply", "--server-side", "-f", manifest.toString());
      assertThat(applied)
          .contains(
              "namespace/shop serverside-applied",
              "secret/settings serverside-applied",
              "deployment.apps/web serverside-applied",
              "service/web serverside-applied");

      // kubectl wait lists, then watches (over plain HTTP) until the condition holds
      assertThat(
              kubectl(
                  kubeconfig,
                  "wait",
                  "--for=condition=Available",
                  "deployment/web",
                  "-n",
                  "shop",
                  "--timeout=20s"))
          .contains("deployment.apps/web condition met");
      JsonNode list =
          new ObjectMapper()
              .readTree(
                  kubectl(
                      kubeconfig,
                      "--context",
                      "grove-sandbox",
                      "get",
                      "deploy,svc,secrets,pods",
                      "-n",
                      "shop",
                      "-o",
                      "json"));
      JsonNode deployment = item(list, "Deployment", "web");
      assertThat(deployment).isNotNull();
      assertThat(deployment.at("/status/availableReplicas").asInt()).isEqualTo(2);
      assertThat(item(list, "Service", "web")).isNotNull();
      assertThat(item(list, "Secret", "settings").at("/data/greeting").asText())
          .isEqualTo("aGVsbG8=");
      List<String> pods = new ArrayList<>();
      list.get("items")
          .forEach(
              i -> {
                if (i.get("kind").asText().equals("Pod")) {
                  pods.add(i.at("/metadata/name").asText());
                  assertThat(i.at("/status/phase").asText()).isEqualTo("Running");
                }
              });
      assertThat(pods).hasSize(2);

      assertThat(kubectl(kubeconfig, "logs", "-n", "shop", pods.get(0)))
          .contains("[grove-sandbox] took docker.io/library/nginx:1.27 as present");
      assertThat(kubectl(kubeconfig, "apply", "--server-side", "-f", manifest.toString()))
          .contains("deployment.apps/web serverside-applied");
      assertThat(kubectl(kubeconfig, "get", "nodes", "-o", "name"))
          .contains("node/grove-sandbox-node");
      // kubectl's create commands send protobuf bodies
      assertThat(kubectl(kubeconfig, "create", "namespace", "bench"))
          .contains("namespace/bench created");
      assertThat(kubectl(kubeconfig, "create", "configmap", "settings", "-n", "bench"))
          .contains("configmap/settings created");
    }
  }

  private static JsonNode item(JsonNode list, String kind, String name) {
    for (JsonNode item : list.get("items")) {
      if (item.get("kind").asText().equals(kind)
          && item.at("/metadata/name").asText().equals(name)) {
        return item;
      }
    }
    return null;
  }

  private String kubectl(Path kubeconfig, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("kubectl");
    command.add("--kubeconfig=" + kubeconfig);
    command.add("--cache-dir=" + dir.resolve("kube-cache"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    Map<String, String> env = builder.environment();
    env.put("CLOUDSDK_CONFIG", dir.resolve("gcloud").toString());
    env.put("HOME", dir.toString());
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 30 s");
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(process.exitValue())
        .as("kubectl %s\n%s%s", String.join(" ", args), stdout, stderr)
        .isZero();
    return stdout;
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d.isEmpty() ? "." : d, command))) {
        return true;
      }
    }
    return false;
  }
}
