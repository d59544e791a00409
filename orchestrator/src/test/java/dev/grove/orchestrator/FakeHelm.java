package dev.grove.orchestrator;

import dev.grove.actions.helm.HelmOps;
import dev.grove.actions.helm.UnwiredHelm;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Helm for the orchestrator's tests, which never load the real one: {@code template} of a local
 * chart prints its {@code templates/*.yaml} as they are (charts of the fixtures use no Go
 * templates), with Helm's {@code # Source:} lines; everything else is unavailable.
 */
public final class FakeHelm {

  /** Renders local charts as described; the rest fails with {@code HELM_UNAVAILABLE}. */
  public static final HelmOps RENDERING = new Rendering();

  private FakeHelm() {}

  private static final class Rendering implements HelmOps {
    private final UnwiredHelm unwired = new UnwiredHelm();

    @Override
    public String template(
        ChartRef chart,
        String releaseName,
        String namespace,
        Values values,
        List<RegistryLogin> logins,
        Bounds bounds)
        throws ActionException {
      Path dir = Path.of(chart.chart());
      StringBuilder out = new StringBuilder();
      try (Stream<Path> files = Files.list(dir.resolve("templates"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
          out.append("---\n# Source: ")
              .append(dir.getFileName())
              .append("/templates/")
              .append(file.getFileName())
              .append('\n')
              .append(Files.readString(file));
        }
      } catch (IOException e) {
        throw new ActionException(ActionCodes.HELM_FAILED, e.getMessage(), "Fix the fixture.");
      }
      return out.toString();
    }

    @Override
    public Release upgradeInstall(
        ChartRef chart,
        String releaseName,
        String namespace,
        Values values,
        String description,
        boolean atomic,
        boolean wait,
        java.time.Duration timeout,
        Cluster cluster,
        List<RegistryLogin> logins,
        Bounds bounds)
        throws ActionException {
      return unwired.upgradeInstall(
          chart,
          releaseName,
          namespace,
          values,
          description,
          atomic,
          wait,
          timeout,
          cluster,
          logins,
          bounds);
    }

    @Override
    public java.util.Optional<Release> status(
        String releaseName, String namespace, Cluster cluster, Bounds bounds)
        throws ActionException {
      return unwired.status(releaseName, namespace, cluster, bounds);
    }

    @Override
    public List<Release> history(
        String releaseName, String namespace, Cluster cluster, Bounds bounds)
        throws ActionException {
      return unwired.history(releaseName, namespace, cluster, bounds);
    }

    @Override
    public boolean uninstall(String releaseName, String namespace, Cluster cluster, Bounds bounds)
        throws ActionException {
      return unwired.uninstall(releaseName, namespace, cluster, bounds);
    }

    @Override
    public Path packageChart(Path chartDir, Path destination, Bounds bounds)
        throws ActionException {
      return unwired.packageChart(chartDir, destination, bounds);
    }

    @Override
    public void push(Path chartPackage, String remote, List<RegistryLogin> logins, Bounds bounds)
        throws ActionException {
      unwired.push(chartPackage, remote, logins, bounds);
    }

    @Override
    public Lint lint(Path chartDir, Values values, Bounds bounds) throws ActionException {
      return unwired.lint(chartDir, values, bounds);
    }

    @Override
    public void close() {}
  }
}
