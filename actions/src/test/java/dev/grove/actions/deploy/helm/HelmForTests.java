package dev.grove.actions.deploy.helm;

import dev.grove.actions.helm.HelmProcess;
import dev.grove.actions.helm.UnwiredHelm;
import dev.grove.actions.spi.ActionException;
import java.nio.file.Path;
import java.util.List;

/**
 * Real Helm for these tests: {@code template} goes to a Helm worker process (the daemon's own
 * {@link HelmProcess}, offline); the cluster operations answer {@code HELM_UNAVAILABLE} (a test
 * overrides {@code status} to play a release).
 */
class HelmForTests extends UnwiredHelm {
  private static final HelmProcess HELM = new HelmProcess(Path.of("target/helm"));

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(HELM::close));
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
    return HELM.template(chart, releaseName, namespace, values, logins, bounds);
  }
}
