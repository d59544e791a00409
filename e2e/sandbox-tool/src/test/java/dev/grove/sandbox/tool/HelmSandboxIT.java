package dev.grove.sandbox.tool;

import static dev.grove.sandbox.tool.HelmCalls.bounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.ReleaseHistory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm 3.21 (helm-java, its Go code in this JVM) works against the sandbox as against a real
 * cluster: release Secrets written in protobuf and read back through label selectors, three-way
 * strategic merge patches on upgrade, {@code --wait} on the Deployment's rollout and the Service's
 * cluster IP, {@code --atomic} rolling back, history, and uninstall deleting the release's objects
 * and Secrets. The chart ({@code charts/web}) is a Deployment, a Service and a ConfigMap from
 * values.
 */
class HelmSandboxIT {

  private static final String CHECKSUM = "checksum/config";

  private static Sandbox sandbox;
  private static KubernetesClient kube;
  private static String kubeconfig;
  private static Path chart;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(0);
    kube = new KubernetesClientBuilder().withConfig(sandbox.config()).build();
    kubeconfig = sandbox.kubeconfig();
    chart = HelmCalls.chart("web");
  }

  @AfterAll
  static void stop() {
    if (kube != null) {
      kube.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void install_upgrade_history_and_uninstall_work_as_on_a_cluster() {
    Release installed =
        bounded(
            "install",
            () ->
                new Helm(chart)
                    .install()
                    .withName("shop")
                    .withNamespace("default")
                    .withKubeConfigContents(kubeconfig)
                    .waitReady()
                    .withTimeout(50)
                    .call());

    assertThat(installed.getStatus()).isEqualTo("deployed");
    assertThat(installed.getRevision()).isEqualTo("1");
    Release status =
        bounded(
            "status",
            () ->
                Helm.status("shop")
                    .withNamespace("default")
                    .withKubeConfigContents(kubeconfig)
                    .call());
    assertThat(status.getStatus()).isEqualTo("deployed");
    assertThat(status.getRevision()).isEqualTo("1");
    assertThat(status.getChart()).isEqualTo("web-0.1.0");
    Secret release = existing(Secret.class, "sh.helm.release.v1.shop.v1");
    assertThat(release.getType()).isEqualTo("helm.sh/release.v1");
    assertThat(release.getMetadata().getLabels())
        .containsEntry("name", "shop")
        .containsEntry("owner", "helm")
        .containsEntry("status", "deployed")
        .containsEntry("version", "1");
    assertThat(existing(ConfigMap.class, "shop-config").getData())
        .containsEntry("greeting", "hello");
    // --wait waited for the Deployment's new ReplicaSet to count a ready pod
    assertThat(readyPodsOfTemplate("shop-web")).isNotEmpty();
    assertThat(existing(Service.class, "shop-web").getSpec().getClusterIP()).startsWith("10.96.");

    Release upgraded =
        bounded(
            "upgrade",
            () ->
                new Helm(chart)
                    .upgrade()
                    .withName("shop")
                    .withNamespace("default")
                    .withKubeConfigContents(kubeconfig)
                    .set("greeting", "bye")
                    .waitReady()
                    .withTimeout(50)
                    .call());

    assertThat(upgraded.getStatus()).isEqualTo("deployed");
    assertThat(upgraded.getRevision()).isEqualTo("2");
    assertThat(existing(ConfigMap.class, "shop-config").getData()).containsEntry("greeting", "bye");
    // the pod template's checksum annotation changed: a strategic merge patch, a new rollout
    assertThat(existing(Deployment.class, "shop-web").getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(readyPodsOfTemplate("shop-web")).isNotEmpty();
    assertThat(history("shop"))
        .extracting(h -> h.getRevision() + " " + h.getStatus())
        .containsExactly("1 superseded", "2 deployed");
    assertThat(existing(Secret.class, "sh.helm.release.v1.shop.v1").getMetadata().getLabels())
        .containsEntry("status", "superseded");

    String uninstalled =
        bounded(
            "uninstall",
            () ->
                Helm.uninstall("shop")
                    .withNamespace("default")
                    .withKubeConfigContents(kubeconfig)
                    .call());

    assertThat(uninstalled).contains("release \"shop\" uninstalled");
    assertThat(releaseSecrets("shop")).isEmpty();
    assertThat(kube.configMaps().inNamespace("default").withName("shop-config").get()).isNull();
    assertThat(kube.services().inNamespace("default").withName("shop-web").get()).isNull();
    assertThat(kube.apps().deployments().inNamespace("default").withName("shop-web").get())
        .isNull();
    // the Deployment's ReplicaSets and pods follow it (background propagation)
    Map<String, String> instance = Map.of("app.kubernetes.io/instance", "shop");
    assertThat(
            kube.apps().replicaSets().inNamespace("default").withLabels(instance).list().getItems())
        .isEmpty();
    assertThat(kube.pods().inNamespace("default").withLabels(instance).list().getItems()).isEmpty();
  }

  @Test
  void an_atomic_upgrade_that_cannot_become_ready_rolls_back() {
    bounded(
        "install",
        () ->
            new Helm(chart)
                .install()
                .withName("cart")
                .withNamespace("default")
                .withKubeConfigContents(kubeconfig)
                .waitReady()
                .withTimeout(50)
                .call());

    // the sandbox reaches only loopback registries: this image never pulls
    assertThatThrownBy(
            () ->
                bounded(
                    "upgrade --atomic",
                    () ->
                        new Helm(chart)
                            .upgrade()
                            .withName("cart")
                            .withNamespace("default")
                            .withKubeConfigContents(kubeconfig)
                            .set("image", "ghcr.io/grove-test/missing:1")
                            .atomic()
                            .waitReady()
                            .withTimeout(8)
                            .call()))
        .hasMessageContaining("has been rolled back due to atomic being set");

    assertThat(history("cart"))
        .extracting(h -> h.getRevision() + " " + h.getStatus())
        .containsExactly("1 superseded", "2 failed", "3 deployed");
    assertThat(
            existing(Deployment.class, "cart-web")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo("nginx:1.27");
  }

  /**
   * {@code upgrade --install} installs a missing release and upgrades it the next time. Through a
   * kubeconfig file: helm-java 0.0.21's install fallback of {@code upgrade} ignores {@code
   * withKubeConfigContents} (it then asks {@code localhost:8080}), its plain upgrade does not.
   */
  @Test
  void upgrade_install_installs_a_missing_release_then_upgrades_it(@TempDir Path dir)
      throws Exception {
    Path kubeconfigFile = Files.writeString(dir.resolve("kubeconfig"), kubeconfig);

    for (String revision : List.of("1", "2")) {
      Release release =
          bounded(
              "upgrade --install",
              () ->
                  new Helm(chart)
                      .upgrade()
                      .install()
                      .withName("basket")
                      .withNamespace("default")
                      .withKubeConfig(kubeconfigFile)
                      .set("greeting", "revision " + revision)
                      .call());
      assertThat(release.getStatus()).isEqualTo("deployed");
      assertThat(release.getRevision()).isEqualTo(revision);
      assertThat(existing(ConfigMap.class, "basket-config").getData())
          .containsEntry("greeting", "revision " + revision);
    }
  }

  // ---- helpers ----

  private static List<ReleaseHistory> history(String release) {
    return bounded(
        "history",
        () ->
            Helm.history(release)
                .withNamespace("default")
                .withKubeConfigContents(kubeconfig)
                .call());
  }

  /** The ready pods whose template is the Deployment's current one (its config checksum). */
  private static List<Pod> readyPodsOfTemplate(String deployment) {
    Map<String, String> template =
        existing(Deployment.class, deployment)
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations();
    return kube.pods().inNamespace("default").list().getItems().stream()
        .filter(
            pod ->
                Objects.equals(
                    Objects.requireNonNullElse(pod.getMetadata().getAnnotations(), Map.of())
                        .get(CHECKSUM),
                    template.get(CHECKSUM)))
        .filter(
            pod ->
                pod.getStatus() != null
                    && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
        .toList();
  }

  private static List<Secret> releaseSecrets(String release) {
    return kube.secrets()
        .inNamespace("default")
        .withLabels(Map.of("name", release, "owner", "helm"))
        .list()
        .getItems();
  }

  /** The object of {@code type} named {@code name} in default; the test fails when it is not. */
  private static <T extends HasMetadata> T existing(Class<T> type, String name) {
    T object = kube.resources(type).inNamespace("default").withName(name).get();
    assertThat(object).as(type.getSimpleName() + " " + name).isNotNull();
    return object;
  }
}
