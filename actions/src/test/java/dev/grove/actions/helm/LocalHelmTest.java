package dev.grove.actions.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.helm.HelmOps.Cluster;
import dev.grove.actions.helm.HelmOps.Values;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** helm-java in this JVM: only calls that cannot hang (the worker's parent bounds the others). */
@Timeout(300)
class LocalHelmTest {
  @TempDir Path home;

  @Test
  void rendersALocalChartWithValueFilesThenInlineValues() throws Exception {
    LocalHelm helm = new LocalHelm(new HelmHome(home));

    HelmFixtures.assertRenderedWithValues(HelmFixtures.render(helm));
    assertThat(home.resolve("lib").resolve("helm-java-" + NativeHelm.helmJavaVersion()))
        .isDirectoryContaining(file -> file.getFileName().toString().startsWith("helm-"));
    assertThat(home.resolve("tmp")).isEmptyDirectory(); // the inline values file is gone
  }

  @Test
  void aTemplateErrorIsHelmFailedNamingTheTemplate() throws Exception {
    Path chart = home.resolve("broken");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(
        chart.resolve("Chart.yaml"), "apiVersion: v2\nname: broken\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("templates/cm.yaml"), "value: {{ .Values.x.y.z }\n");
    LocalHelm helm = new LocalHelm(new HelmHome(home.resolve("helm")));

    assertThatThrownBy(() -> HelmFixtures.render(helm, HelmOps.ChartRef.local(chart), Values.NONE))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.HELM_FAILED);
              assertThat(e.getMessage())
                  .startsWith("helm template of chart " + chart)
                  .contains("cm.yaml")
                  .doesNotContain("\n");
              assertThat(e.suggestion()).contains("template");
            });
  }

  @Test
  void anUnreachableClusterFailsFastWithWhatToDo() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String kubeconfig =
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d"}}]
        users: [{name: u, user: {token: none}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """
            .formatted(closedPort);
    LocalHelm helm = new LocalHelm(new HelmHome(home));

    assertThatThrownBy(
            () -> helm.status("shop", "team", new Cluster(kubeconfig), HelmFixtures.GENEROUS))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.HELM_FAILED);
              assertThat(e.getMessage()).contains("helm status of release shop");
              assertThat(e.suggestion()).contains("cluster");
            });
  }

  @Test
  void repositoryNamesAreStableAndReadable() {
    assertThat(LocalHelm.repositoryName("https://charts.bitnami.com/bitnami"))
        .startsWith("grove-charts-bitnami-com-")
        .isEqualTo(LocalHelm.repositoryName("https://charts.bitnami.com/bitnami"))
        .isNotEqualTo(LocalHelm.repositoryName("https://charts.bitnami.com/other"));
  }
}
