package dev.grove.actions.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.helm.UnwiredHelm;
import dev.grove.actions.kube.KubeClients;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What counts as a helm Deploy's sources (its version), as Garden's {@code configure} says. */
class HelmDeployTypeTest {
  private final HelmDeployType type =
      new HelmDeployType(new UnwiredHelm(), new KubeClients(null, null));

  @Test
  void aLocalChartsFilesAndTheValueFilesAreTheSources() {
    assertThat(
            type.defaultIncludes(
                Map.of(
                    "chart", Map.of("path", "./chart/"),
                    "valueFiles", List.of("values/dev.yaml"))))
        .contains(
            List.of(
                "chart/*",
                "chart/charts/**/*",
                "chart/templates/**/*",
                "chart/crds/**/*",
                "values/dev.yaml"));
  }

  @Test
  void theActionsFolderAsChartCountsEveryFileAndARemoteChartOnlyItsValueFiles() {
    assertThat(type.defaultIncludes(Map.of())).isEmpty();
    assertThat(
            type.defaultIncludes(
                Map.of(
                    "chart",
                    Map.of("name", "redis", "repo", "https://charts.example.com"),
                    "valueFiles",
                    List.of("redis.yaml"))))
        .contains(List.of("redis.yaml"));
  }
}
