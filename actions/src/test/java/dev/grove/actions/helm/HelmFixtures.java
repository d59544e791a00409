package dev.grove.actions.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.helm.HelmOps.Bounds;
import dev.grove.actions.helm.HelmOps.ChartRef;
import dev.grove.actions.helm.HelmOps.Values;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The test chart (a ConfigMap from values) and what rendering it with values gives. */
final class HelmFixtures {
  static final Bounds GENEROUS = new Bounds(Duration.ofMinutes(3), null);

  private HelmFixtures() {}

  static ChartRef webChart() {
    return ChartRef.local(resource("/helm/charts/web"));
  }

  /** A values file, then inline values over it. */
  static Values fileThenInline() {
    return new Values(List.of(resource("/helm/web-values.yaml")), "replicas: 3\n");
  }

  static void assertRenderedWithValues(String manifests) {
    assertThat(manifests)
        .contains("name: shop-config")
        .contains("namespace: team")
        .contains("greeting: \"from-file\"") // the values file over the chart's values.yaml
        .contains("colour: \"blue\"")
        .contains("replicas: \"3\""); // inline values over the file
  }

  static String render(HelmOps helm) throws Exception {
    return render(helm, webChart(), fileThenInline());
  }

  /** {@code helm template} as release shop in namespace team. */
  static String render(HelmOps helm, ChartRef chart, Values values) throws Exception {
    return helm.template(chart, "shop", "team", values, List.of(), GENEROUS);
  }

  private static Path resource(String name) {
    try {
      return Path.of(HelmFixtures.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
