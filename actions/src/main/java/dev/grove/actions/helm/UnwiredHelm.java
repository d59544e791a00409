package dev.grove.actions.helm;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@link HelmOps} for a composition without Helm: every call fails with {@code HELM_UNAVAILABLE}.
 * Tests and tools that never run a helm action use it; a test extends it with the operations it
 * plays.
 */
public class UnwiredHelm implements HelmOps {

  private static ActionException unavailable() {
    return new ActionException(
        ActionCodes.HELM_UNAVAILABLE,
        "Helm is not available in this process.",
        "Run helm Deploys through the Grove daemon (grove deploy).");
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
    throw unavailable();
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
    throw unavailable();
  }

  @Override
  public Optional<Release> status(
      String releaseName, String namespace, Cluster cluster, Bounds bounds) throws ActionException {
    throw unavailable();
  }

  @Override
  public List<Release> history(String releaseName, String namespace, Cluster cluster, Bounds bounds)
      throws ActionException {
    throw unavailable();
  }

  @Override
  public boolean uninstall(String releaseName, String namespace, Cluster cluster, Bounds bounds)
      throws ActionException {
    throw unavailable();
  }

  @Override
  public Path packageChart(Path chartDir, Path destination, Bounds bounds) throws ActionException {
    throw unavailable();
  }

  @Override
  public void push(Path chartPackage, String remote, List<RegistryLogin> logins, Bounds bounds)
      throws ActionException {
    throw unavailable();
  }

  @Override
  public Lint lint(Path chartDir, Values values, Bounds bounds) throws ActionException {
    throw unavailable();
  }

  @Override
  public void close() {}
}
