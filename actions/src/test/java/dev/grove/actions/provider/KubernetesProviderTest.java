package dev.grove.actions.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KubernetesProviderTest {

  @Test
  void readsWhatGroveActsOnTyped() {
    KubernetesProvider provider =
        KubernetesProvider.of(
            "kubernetes",
            Map.of(
                "context",
                "gke_prod",
                "kubeconfig",
                "~/k.yaml",
                "namespace",
                Map.of("name", "shop", "labels", Map.of("team", "a")),
                "buildMode",
                "jib",
                "ingressClass",
                "nginx",
                "deploymentRegistry",
                Map.of("hostname", "localhost", "port", "5000", "namespace", "shop"),
                "imagePullSecrets",
                List.of(Map.of("name", "pull")),
                "copySecrets",
                List.of(Map.of("name", "tls", "namespace", "certs"))),
            "shop");

    assertThat(provider.context()).contains("gke_prod");
    assertThat(provider.kubeconfig()).contains("~/k.yaml");
    assertThat(provider.namespaceSettings("shop").orElseThrow().labels())
        .isEqualTo(Map.of("team", "a"));
    assertThat(provider.namespaceSettings("other")).isEmpty();
    assertThat(provider.buildMode()).isEqualTo("jib");
    assertThat(provider.ingressClass()).contains("nginx");
    assertThat(provider.defaultHostname()).isEmpty();
    assertThat(provider.deploymentRegistry())
        .contains(new ImageRegistry("localhost", 5000, "shop", false, false));
    assertThat(provider.secretsToCopy())
        .containsExactly(new SecretRef("pull", "default"), new SecretRef("tls", "certs"));
  }

  @Test
  void withoutAProviderEveryFieldIsAtItsDefault() {
    KubernetesProvider provider = KubernetesProvider.absent();

    assertThat(provider.context()).isEmpty();
    assertThat(provider.buildMode()).isEqualTo("local-docker");
    assertThat(provider.deploymentRegistry()).isEmpty();
    assertThat(provider.secretsToCopy()).isEmpty();
    assertThat(provider.usesSandbox("grove-sandbox")).isFalse();
  }

  @Test
  void localKubernetesGetsGardensDefaultHostname() {
    assertThat(KubernetesProvider.of("local-kubernetes", Map.of(), "shop").defaultHostname())
        .contains("shop.local.demo.garden");
    assertThat(
            KubernetesProvider.of("local-kubernetes", Map.of("defaultHostname", "x.test"), "shop")
                .defaultHostname())
        .contains("x.test");
    assertThat(KubernetesProvider.of("kubernetes", Map.of(), "shop").defaultHostname()).isEmpty();
  }

  @Test
  void theSandboxIsItsContextWithoutAKubeconfigOfItsOwn() {
    assertThat(
            KubernetesProvider.of("kubernetes", Map.of("context", "grove-sandbox"), "p")
                .usesSandbox("grove-sandbox"))
        .isTrue();
    assertThat(
            KubernetesProvider.of(
                    "kubernetes", Map.of("context", "grove-sandbox", "kubeconfig", "k"), "p")
                .usesSandbox("grove-sandbox"))
        .isFalse();
  }

  @Test
  void providersGroveDoesNotActOnAreKeptAsWritten() {
    assertThat(Provider.of("exec", Map.of(), "p")).isInstanceOf(Provider.Exec.class);
    assertThat(Provider.of("container", Map.of(), "p")).isInstanceOf(Provider.Container.class);
    assertThat(Provider.of("local-kubernetes", Map.of(), "p"))
        .isInstanceOf(KubernetesProvider.class);
    Provider other = Provider.of("terraform", Map.of("initRoot", "tf"), "p");
    assertThat(other).isEqualTo(new Provider.Other("terraform", Map.of("initRoot", "tf")));
    assertThat(Optional.of(other.config())).contains(Map.of("initRoot", "tf"));
  }
}
