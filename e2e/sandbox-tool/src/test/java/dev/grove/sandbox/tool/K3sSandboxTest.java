package dev.grove.sandbox.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the K3s sandbox writes, without an engine: containerd's registry config, the kubeconfig. */
class K3sSandboxTest {
  /** The shape of /etc/rancher/k3s/k3s.yaml after Testcontainers set the server. */
  private static final String K3S_KUBECONFIG =
      """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority-data: Q0EK
          server: https://localhost:32771
        name: default
      contexts:
      - context:
          cluster: default
          user: default
        name: default
      current-context: default
      kind: Config
      preferences: {}
      users:
      - name: default
        user:
          client-certificate-data: Q0VSVAo=
          client-key-data: S0VZCg==
      """;

  @TempDir Path dir;

  @Test
  void theKubeconfigNamesTheSandboxContextWithK3sCredentials() throws Exception {
    String renamed = K3sSandbox.renameContext(K3S_KUBECONFIG);
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, renamed);

    Config config = Config.fromKubeconfig("grove-sandbox", file.toFile());
    assertThat(config.getMasterUrl()).startsWith("https://localhost:32771");
    assertThat(config.getNamespace()).isEqualTo("default");
    assertThat(config.getCaCertData()).isEqualTo("Q0EK");
    assertThat(config.getClientCertData()).isEqualTo("Q0VSVAo=");
    assertThat(config.getClientKeyData()).isEqualTo("S0VZCg==");
    assertThat(renamed)
        .contains("current-context: \"grove-sandbox\"")
        .doesNotContain("default\"\n  user");
    assertThat(K3sSandbox.serverOf(renamed)).isEqualTo("https://localhost:32771");
  }

  @Test
  void containerdPullsFromTheRegistryUnderTheHostsNameOverPlainHttpWithNoCredentials() {
    String yaml = K3sSandbox.registriesYaml(5123);
    assertThat(yaml)
        .isEqualTo(
            """
            mirrors:
              "127.0.0.1:5123":
                endpoint:
                  - "http://127.0.0.1:5123"
            """);
    assertThat(yaml).doesNotContain("auth").doesNotContain("password");
  }
}
