package dev.grove.orchestrator;

import dev.grove.actions.helm.HelmOps;
import dev.grove.actions.helm.HelmProcess;
import dev.grove.actions.helm.UnwiredHelm;
import dev.grove.actions.spi.ActionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Helm for the orchestrator's tests: {@code template} of a local chart is real Helm's (the
 * daemon's worker process, started by the first helm project a test renders); a remote chart prints
 * one ConfigMap named after the release, so that no test reaches beyond loopback; everything else
 * is unavailable.
 */
public final class FakeHelm {

  /** Renders local charts as described; the rest fails with {@code HELM_UNAVAILABLE}. */
  public static final HelmOps RENDERING = new Rendering();

  private FakeHelm() {}

  private static final class Rendering extends UnwiredHelm {
    private final HelmProcess helm = new HelmProcess(Path.of("target/helm"));

    Rendering() {
      Runtime.getRuntime().addShutdownHook(new Thread(helm::close));
    }

    @Override
    public String template(
        ChartRef chart,
        String releaseName,
        String namespace,
        Values values,
        List<RegistryLogin> logins,
        Bounds bounds)
        throws ActionException {
      if (!Files.exists(Path.of(chart.chart()))) {
        // a remote chart: one object named after the release
        return "---\n# Source: remote/templates/placeholder.yaml\napiVersion: v1\nkind: ConfigMap\n"
            + "metadata:\n  name: "
            + releaseName
            + "\n";
      }
      return helm.template(chart, releaseName, namespace, values, logins, bounds);
    }
  }
}
