package dev.grove.actions.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeConfigResolverTest {
  @TempDir Path dir;

  static String kubeconfig(String server, String current, String... contexts) {
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: "
                + server
                + "\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n");
    for (String context : contexts) {
      yaml.append("- name: ").append(context).append("\n  context:\n    cluster: c\n    user: u\n");
    }
    if (current != null) {
      yaml.append("current-context: ").append(current).append('\n');
    }
    return yaml.toString();
  }

  @Test
  void theProviderFileWinsThenKubeconfigThenHome() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home/.kube"));
    Files.writeString(home.resolve("config"), kubeconfig("https://h:1", "home", "home"));
    Path env = dir.resolve("env.yaml");
    Files.writeString(env, kubeconfig("https://e:1", "env", "env"));
    Files.writeString(dir.resolve("own.yaml"), kubeconfig("https://o:1", "own", "own"));
    Map<String, String> shell =
        Map.of("HOME", dir.resolve("home").toString(), "KUBECONFIG", env + ":/nope");

    assertThat(
            KubeConfigResolver.resolve(provider(Map.of("kubeconfig", "own.yaml")), dir, shell)
                .context())
        .isEqualTo("own");
    assertThat(KubeConfigResolver.resolve(provider(Map.of()), dir, shell).context())
        .isEqualTo("env");
    assertThat(
            KubeConfigResolver.resolve(provider(Map.of()), dir, Map.of("HOME", dir + "/home"))
                .kubeconfig())
        .isEqualTo(home.resolve("config"));
  }

  @Test
  void localKubernetesWithoutContextUsesTheSandboxOnlyWhenTheKubeconfigHasNoCluster()
      throws Exception {
    Map<String, String> shell = Map.of("HOME", dir.resolve("home").toString());
    KubernetesProvider local =
        KubernetesProvider.of(KubernetesProvider.LOCAL_KUBERNETES, Map.of(), "shop");
    assertThat(KubeConfigResolver.usesSandbox(local, shell)).isTrue();
    assertThat(KubeConfigResolver.usesSandbox(provider(Map.of()), shell)).isFalse();

    Path kube = Files.createDirectories(dir.resolve("home/.kube"));
    Files.writeString(kube.resolve("config"), kubeconfig("https://h:1", null));
    assertThat(KubeConfigResolver.usesSandbox(local, shell)).isTrue();

    Files.writeString(kube.resolve("config"), kubeconfig("https://h:1", "kind-kind", "kind-kind"));
    assertThat(KubeConfigResolver.usesSandbox(local, shell)).isFalse();
    assertThat(
            KubeConfigResolver.usesSandbox(
                KubernetesProvider.of(
                    KubernetesProvider.LOCAL_KUBERNETES, Map.of("context", "grove-sandbox"), "p"),
                shell))
        .isTrue();
  }

  @Test
  void theProviderContextIsUsedAndItsServerWithIt() throws Exception {
    Files.writeString(dir.resolve("k.yaml"), kubeconfig("https://10.0.0.1:6443", "a", "a", "b"));
    var target =
        KubeConfigResolver.resolve(
            provider(Map.of("kubeconfig", "k.yaml", "context", "b")), dir, Map.of());
    assertThat(target.context()).isEqualTo("b");
    assertThat(target.config().getMasterUrl()).startsWith("https://10.0.0.1:6443");
  }

  @Test
  void aMissingContextNamesTheFileAndTheContextsItHas() throws Exception {
    Files.writeString(dir.resolve("k.yaml"), kubeconfig("https://h:1", "a", "a", "b"));
    assertThatThrownBy(
            () ->
                KubeConfigResolver.resolve(
                    provider(Map.of("kubeconfig", "k.yaml", "context", "gke_prod")), dir, Map.of()))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.KUBE_CONFIG);
              assertThat(e.getMessage()).contains("`gke_prod`").contains("k.yaml");
              assertThat(e.suggestion()).contains("a, b");
            });
  }

  @Test
  void aMissingFileSaysWhereItLookedAndWhatToDo() {
    assertThatThrownBy(
            () ->
                KubeConfigResolver.resolve(provider(Map.of()), dir, Map.of("HOME", dir.toString())))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.getMessage()).contains(dir.resolve(".kube/config").toString());
              assertThat(e.suggestion()).contains("KUBECONFIG").contains("grove sandbox up");
            });
  }

  @Test
  void aKubeconfigThatIsALinkToADeviceIsRefusedSayingWhat() throws Exception {
    Files.createSymbolicLink(dir.resolve("k.yaml"), Path.of("/dev/zero"));
    ActionException e =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10),
            () ->
                org.assertj.core.api.Assertions.catchThrowableOfType(
                    ActionException.class,
                    () ->
                        KubeConfigResolver.resolve(
                            provider(Map.of("kubeconfig", "k.yaml")), dir, Map.of())));
    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .contains("k.yaml")
        .contains("a character device, not a regular file");
  }

  @Test
  void anUnreachableClusterFailsFastNamingTheContextAndFile() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Files.writeString(
        dir.resolve("k.yaml"), kubeconfig("https://127.0.0.1:" + port, "gone", "gone"));
    var target =
        KubeConfigResolver.resolve(provider(Map.of("kubeconfig", "k.yaml")), dir, Map.of());
    var applier = new KubeApplier(new KubeClients(null, null).client(target), target);
    long start = System.nanoTime();
    assertThatThrownBy(() -> applier.ensureNamespace("shop-dev"))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.KUBE_UNREACHABLE);
              assertThat(e.getMessage()).contains("`gone`").contains("k.yaml");
              assertThat(e.suggestion()).contains("cluster-info");
            });
    // the bound, with room: a refused connection fails at once
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
  }

  private static KubernetesProvider provider(Map<String, Object> config) {
    return KubernetesProvider.of(KubernetesProvider.KUBERNETES, config, "shop");
  }
}
