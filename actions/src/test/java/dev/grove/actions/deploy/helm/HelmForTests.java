package dev.grove.actions.deploy.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.grove.actions.helm.HelmOps;
import dev.grove.actions.helm.UnwiredHelm;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Real Helm (helm-java) in the test JVM, for what these tests need: {@code template}, offline. The
 * daemon's {@code LocalHelm} replaces it once merged; the cluster operations answer {@code
 * HELM_UNAVAILABLE} (a test overrides {@link #status} to play a release).
 */
class HelmForTests implements HelmOps {
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
    Path valuesFile = null;
    try {
      TemplateCommand command =
          new Helm(Path.of(chart.chart()))
              .template()
              .withName(releaseName)
              .withNamespace(namespace);
      for (Path file : values.valueFiles()) {
        command = command.withValuesFile(file);
      }
      if (!values.valuesYaml().isBlank()) {
        valuesFile = Files.createTempFile("grove-helm-values-", ".yaml");
        Files.writeString(valuesFile, values.valuesYaml());
        command = command.withValuesFile(valuesFile);
      }
      return command.call();
    } catch (IOException e) {
      throw new ActionException(ActionCodes.HELM_FAILED, e.getMessage(), "Check /tmp.");
    } catch (IllegalStateException e) {
      throw new ActionException(
          ActionCodes.HELM_FAILED, e.getMessage(), "Fix the chart or its values.");
    } finally {
      if (valuesFile != null) {
        try {
          Files.deleteIfExists(valuesFile);
        } catch (IOException e) {
          // a temporary file left behind
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
      Duration timeout,
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
  public Optional<Release> status(
      String releaseName, String namespace, Cluster cluster, Bounds bounds) throws ActionException {
    return unwired.status(releaseName, namespace, cluster, bounds);
  }

  @Override
  public List<Release> history(String releaseName, String namespace, Cluster cluster, Bounds bounds)
      throws ActionException {
    return unwired.history(releaseName, namespace, cluster, bounds);
  }

  @Override
  public boolean uninstall(String releaseName, String namespace, Cluster cluster, Bounds bounds)
      throws ActionException {
    return unwired.uninstall(releaseName, namespace, cluster, bounds);
  }

  @Override
  public Path packageChart(Path chartDir, Path destination, Bounds bounds) throws ActionException {
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
