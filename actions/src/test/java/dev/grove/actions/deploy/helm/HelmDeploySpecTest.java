package dev.grove.actions.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HelmDeploySpecTest {

  private static HelmDeploySpec parse(Map<String, Object> spec) throws ActionException {
    return HelmDeploySpec.parse(spec, "deploy.web");
  }

  private static void rejects(Map<String, Object> spec, String property, String suggestion) {
    assertThatThrownBy(() -> parse(spec))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
              assertThat(e.getMessage()).startsWith("deploy.web: spec." + property);
              assertThat(e.suggestion()).contains(suggestion);
            });
  }

  @Test
  void gardensDefaults() throws Exception {
    HelmDeploySpec spec = parse(Map.of());
    assertThat(spec.chart().path()).contains(".");
    assertThat(spec.chart().local()).isTrue();
    assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(spec.atomic()).isFalse();
    assertThat(spec.waitForUnhealthyResources()).isFalse();
    assertThat(spec.releaseName()).isEmpty();
    assertThat(spec.values()).isEmpty();
    assertThat(spec.injectProviderPullSecrets()).isFalse();
  }

  @Test
  void readsEveryField() throws Exception {
    HelmDeploySpec spec =
        parse(
            Map.of(
                "chart",
                Map.of(
                    "name", "ingress-nginx", "repo", "https://example.com/charts", "version", 4.1),
                "values",
                Map.of("controller", Map.of("replicaCount", 2)),
                "valueFiles",
                List.of("values/dev.yaml"),
                "releaseName",
                "ingress",
                "namespace",
                "edge",
                "atomic",
                true,
                "timeout",
                60,
                "waitForUnhealthyResources",
                true,
                "imagePullSecrets",
                "provider",
                "defaultTarget",
                Map.of("kind", "Deployment", "name", "ingress-controller")));
    assertThat(spec.chart())
        .isEqualTo(
            new HelmDeploySpec.Chart(
                Optional.empty(),
                Optional.of("ingress-nginx"),
                Optional.of("https://example.com/charts"),
                Optional.empty(),
                Optional.of("4.1")));
    assertThat(spec.chart().describe())
        .isEqualTo("chart ingress-nginx from https://example.com/charts version 4.1");
    assertThat(spec.values()).containsEntry("controller", Map.of("replicaCount", 2));
    assertThat(spec.valueFiles()).containsExactly("values/dev.yaml");
    assertThat(spec.releaseName()).contains("ingress");
    assertThat(spec.namespace()).contains("edge");
    assertThat(spec.atomic()).isTrue();
    assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(spec.waitForUnhealthyResources()).isTrue();
    assertThat(spec.injectProviderPullSecrets()).isTrue();
    assertThat(spec.defaultTarget()).isPresent();
    assertThat(parse(Map.of("chart", Map.of("url", "oci://127.0.0.1:5000/charts/web"))).chart())
        .satisfies(c -> assertThat(c.local()).isFalse());
  }

  @Test
  void rejectsChartsThatNameTwoSources() {
    rejects(
        Map.of("chart", Map.of("path", "chart", "name", "web")),
        "chart sets name and path",
        "Keep one");
    rejects(
        Map.of("chart", Map.of("path", "chart", "version", "1.0.0")),
        "chart sets path and version",
        "Keep one");
    rejects(
        Map.of("chart", Map.of("url", "oci://r/web", "repo", "https://r")),
        "chart.repo",
        "chart.name");
    rejects(Map.of("chart", Map.of("repo", "https://r")), "chart.name", "chart.name");
    rejects(Map.of("chart", Map.of("path", "/charts/web")), "chart.path", "relative");
    rejects(Map.of("chart", Map.of("paht", "chart")), "chart.paht", "chart may have");
    rejects(Map.of("chart", "chart"), "chart", "{path: chart}");
  }

  @Test
  void rejectsBadValuesAndNames() {
    rejects(Map.of("values", List.of(1)), "values", "as a map");
    rejects(Map.of("valueFiles", "values.yaml"), "valueFiles", "as a list");
    rejects(Map.of("releaseName", "Web_1"), "releaseName", "web-api");
    rejects(Map.of("namespace", "Dev"), "namespace", "shop-dev");
    rejects(Map.of("atomic", "yes"), "atomic", "true or false");
    rejects(Map.of("timeout", -1), "timeout", "number of seconds");
    rejects(Map.of("imagePullSecrets", List.of("x")), "imagePullSecrets", "provider");
    rejects(
        Map.of("patchResources", List.of(Map.of("kind", "Deployment"))),
        "patchResources[0].name",
        "metadata.name");
  }
}
