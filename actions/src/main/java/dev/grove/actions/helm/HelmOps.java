package dev.grove.actions.helm;

import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Helm's operations as Grove uses them. Helm runs in a worker process of its own (its Go runtime
 * ignores SIGTERM and cannot be interrupted once stuck, see docs/notes/helm-spike.md): every call
 * has a deadline, and a call past it or cancelled kills the worker (the next call starts a new one)
 * and fails with {@code ActionCodes.TIMEOUT}/{@code CANCELLED}. Helm's own failures come back as
 * {@link ActionException}s with {@code ActionCodes.HELM_FAILED} and Helm's message.
 */
public interface HelmOps extends AutoCloseable {

  /**
   * A chart: a local folder or packaged {@code .tgz} ({@code path}), {@code oci://host/repo/name},
   * an {@code https://.../chart.tgz} URL, or a chart {@code name} in the repository at {@code
   * repo}.
   */
  record ChartRef(String chart, Optional<String> version, Optional<String> repo) {
    public static ChartRef local(Path path) {
      return new ChartRef(path.toAbsolutePath().toString(), Optional.empty(), Optional.empty());
    }
  }

  /**
   * The values of a release, merged as Helm merges {@code -f} files: {@code valueFiles} in order,
   * then {@code valuesYaml} (Garden's {@code values}, highest precedence).
   */
  record Values(List<Path> valueFiles, String valuesYaml) {
    public static final Values NONE = new Values(List.of(), "");

    public Values {
      valueFiles = List.copyOf(valueFiles);
    }
  }

  /**
   * How Helm reaches a cluster: a whole kubeconfig whose current context is the target, and the
   * registry logins an {@code oci://} chart needs.
   */
  record Cluster(String kubeconfig) {}

  /** A registry login for {@code oci://} charts ({@code helm registry login}). */
  record RegistryLogin(String host, String username, String password, boolean plainHttp) {}

  /** One call's deadline and the run's cancellation (null: none). */
  record Bounds(Duration deadline, Cancellation cancellation) {}

  /** {@code helm template}: the chart's manifests as one YAML stream, offline (no cluster). */
  String template(
      ChartRef chart,
      String releaseName,
      String namespace,
      Values values,
      List<RegistryLogin> logins,
      Bounds bounds)
      throws ActionException;

  /**
   * {@code helm upgrade --install}.
   *
   * @param description Helm's release description (Grove records the action version there)
   * @param atomic Helm's {@code --atomic} (implies {@code --wait})
   * @param wait Helm's {@code --wait} for the release's resources, with {@code timeout}
   */
  Release upgradeInstall(
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
      throws ActionException;

  /** The release's latest revision, or empty when there is no such release. */
  Optional<Release> status(String releaseName, String namespace, Cluster cluster, Bounds bounds)
      throws ActionException;

  /** Every revision of the release, oldest first; empty when there is no such release. */
  List<Release> history(String releaseName, String namespace, Cluster cluster, Bounds bounds)
      throws ActionException;

  /** {@code helm uninstall}; false when there was no such release. */
  boolean uninstall(String releaseName, String namespace, Cluster cluster, Bounds bounds)
      throws ActionException;

  /** {@code helm package} of a chart folder into {@code destination}; the {@code .tgz} made. */
  Path packageChart(Path chartDir, Path destination, Bounds bounds) throws ActionException;

  /** {@code helm push} of a packaged chart to {@code oci://host/repo}. */
  void push(Path chartPackage, String remote, List<RegistryLogin> logins, Bounds bounds)
      throws ActionException;

  /** {@code helm lint}: its messages, and whether it failed. */
  Lint lint(Path chartDir, Values values, Bounds bounds) throws ActionException;

  /** One revision of a release. */
  record Release(
      String name,
      String namespace,
      int revision,
      String status,
      String chart,
      String appVersion,
      String description) {}

  /** Lint findings. */
  record Lint(List<String> messages, boolean failed) {
    public Lint {
      messages = List.copyOf(messages);
    }
  }

  /** Stops the worker process, if one runs. */
  @Override
  void close();
}
