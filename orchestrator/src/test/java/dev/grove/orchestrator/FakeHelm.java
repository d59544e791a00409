package dev.grove.orchestrator;

import dev.grove.actions.helm.HelmOps;
import dev.grove.actions.helm.UnwiredHelm;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Helm for the orchestrator's tests: {@code template} of a local chart is real Helm's (helm-java
 * in the test JVM, loaded by the first helm project a test renders); a remote chart prints one
 * ConfigMap named after the release (tests use no network); everything else is unavailable.
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
      if (!Files.isDirectory(dir)) {
        // a remote chart: one object named after the release
        return "---\n# Source: remote/templates/placeholder.yaml\napiVersion: v1\nkind: ConfigMap\n"
            + "metadata:\n  name: "
            + releaseName
            + "\n";
      }
      Path valuesFile = null;
      try {
        com.marcnuri.helm.TemplateCommand command =
            new com.marcnuri.helm.Helm(dir)
                .template()
                .withName(releaseName)
                .withNamespace(namespace);
        for (Path file : values.valueFiles()) {
          command = command.withValuesFile(file);
        }
        if (!values.valuesYaml().isBlank()) {
          valuesFile = Files.createTempFile("grove-test-values-", ".yaml");
          Files.writeString(valuesFile, values.valuesYaml());
          command = command.withValuesFile(valuesFile);
        }
        return command.call();
      } catch (IOException | IllegalStateException e) {
        throw new ActionException(ActionCodes.HELM_FAILED, e.getMessage(), "Fix the fixture.");
      } finally {
        if (valuesFile != null) {
          try {
            Files.deleteIfExists(valuesFile);
          } catch (IOException e) {
            // left behind in /tmp
          }
        }
      }
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
