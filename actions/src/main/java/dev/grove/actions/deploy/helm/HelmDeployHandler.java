package dev.grove.actions.deploy.helm;

import dev.grove.actions.deploy.helm.HelmManifests.ChartRender;
import dev.grove.actions.deploy.kubernetes.PullSecrets;
import dev.grove.actions.helm.HelmOps;
import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.kube.KubeConfigResolver;
import dev.grove.actions.kube.KubeDeployer;
import dev.grove.actions.kube.Workloads;
import dev.grove.actions.registry.RegistryAuth;
import dev.grove.actions.registry.RegistryCredentials;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.Cleanable;
import dev.grove.actions.spi.KubeContext;
import dev.grove.actions.spi.LogSink;
import dev.grove.api.event.EventPayload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code Deploy/helm}: a Helm release of the chart as Grove post-rendered it (see {@link
 * RenderedChart}), then Grove's own rollout wait, failing fast as other Deploys do. The release's
 * description records the action's version ({@code grove deploy.web v-1234567890}): status is
 * {@code missing} without a release, {@code outdated} for another version, else the rollout state
 * of the rendered objects.
 */
final class HelmDeployHandler
    implements ActionHandler, ActionHandler.Renderer, Cleanable, Workloads {

  /** What a call to Helm that talks to a cluster (status, history, uninstall) may take. */
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(60);

  /** Helm's {@code --timeout} is for its waits; the call itself gets this much more. */
  private static final Duration INSTALL_MARGIN = Duration.ofSeconds(60);

  private final HelmOps helm;
  private final KubeCluster.Opener clusters;
  private final KubeDeployer deployer;
  private final RegistryCredentials credentials;

  HelmDeployHandler(
      HelmOps helm,
      KubeCluster.Opener clusters,
      RegistryCredentials credentials,
      Duration pollInterval) {
    this.helm = helm;
    this.clusters = clusters;
    this.deployer = new KubeDeployer(clusters, pollInterval);
    this.credentials = credentials;
  }

  private static HelmDeploySpec spec(ActionContext context) throws ActionException {
    return context.spec(
        HelmDeploySpec.class, c -> HelmDeploySpec.parse(c.spec(), c.ref().toString()));
  }

  private static String namespace(ActionContext context, HelmDeploySpec spec)
      throws ActionException {
    return spec.namespace().orElse(KubeContext.target(context).namespace());
  }

  private static String releaseName(ActionContext context, HelmDeploySpec spec) {
    return spec.releaseName().orElse(context.ref().name());
  }

  /** The release description Grove writes, which status compares. */
  static String description(ActionContext context) {
    return "grove " + context.ref() + " " + context.version();
  }

  @Override
  public ActionHandler.Rendered render(ActionContext context) throws ActionException {
    ChartRender rendered = renderChart(context);
    return new ActionHandler.Rendered(rendered.maps(), rendered.warnings());
  }

  private ChartRender renderChart(ActionContext context) throws ActionException {
    HelmDeploySpec spec = spec(context);
    String namespace = namespace(context, spec);
    HelmOps.ChartRef chart = chartRef(context, spec);
    HelmOps.Values values = values(context, spec);
    List<HelmOps.RegistryLogin> logins = logins(context, spec);
    Path copy = null;
    String manifests;
    try {
      if (spec.chart().local()) {
        // hooks rendered as objects: see LocalChart
        copy = createTempDir(context);
        LocalChart.copyWithHooksVisible(Path.of(chart.chart()), copy, context.ref().toString());
        chart = HelmOps.ChartRef.local(copy);
      }
      HelmOps.ChartRef rendered = chart;
      Path scratch = copy;
      manifests =
          call(
              context,
              spec,
              () -> {
                try {
                  return helm.template(
                      rendered,
                      releaseName(context, spec),
                      namespace,
                      values,
                      logins,
                      new HelmOps.Bounds(spec.timeout(), context.cancellation()));
                } catch (ActionException e) {
                  if (scratch == null) {
                    throw e;
                  }
                  // Helm names the copy it rendered; the user knows their chart
                  throw new ActionException(
                      e.code(),
                      e.getMessage()
                          .replace(scratch.toString(), localChart(context, spec).toString()),
                      e.suggestion());
                }
              });
    } finally {
      if (copy != null) {
        deleteTree(copy);
      }
    }
    return HelmManifests.postRender(
        context.ref().toString(),
        context.version(),
        manifests,
        spec,
        namespace,
        PullSecrets.of(context, credentials));
  }

  @Override
  public Outputs process(ActionContext context) throws ActionException {
    HelmDeploySpec spec = spec(context);
    String namespace = namespace(context, spec);
    String release = releaseName(context, spec);
    ChartRender rendered = renderChart(context);
    KubeDeployer.report(context, rendered.warnings());
    KubeCluster cluster = deployer.prepareNamespaces(context, namespace, rendered.maps());
    Path dir = createTempDir(context);
    HelmOps.Release installed;
    try {
      RenderedChart.write(
          dir,
          metadata(context, spec, rendered),
          rendered.objects(),
          spec.chart().local() ? LocalChart.crdFiles(localChart(context, spec)) : List.of());
      boolean wait = spec.atomic() || spec.waitForUnhealthyResources();
      installed =
          call(
              context,
              spec,
              () ->
                  helm.upgradeInstall(
                      HelmOps.ChartRef.local(dir),
                      release,
                      namespace,
                      values(context, spec),
                      description(context),
                      spec.atomic(),
                      wait,
                      spec.timeout(),
                      cluster(cluster),
                      List.of(),
                      new HelmOps.Bounds(
                          spec.timeout().plus(INSTALL_MARGIN), context.cancellation())));
    } finally {
      deleteTree(dir);
    }
    context
        .log()
        .line(
            LogSink.STDOUT,
            "release "
                + installed.name()
                + " (namespace "
                + installed.namespace()
                + ") revision "
                + installed.revision()
                + ": "
                + installed.status());
    deployer.awaitRollout(context, cluster, rendered.releaseIds(), false);
    return new Outputs(context.outputs());
  }

  @Override
  public Status status(ActionContext context) throws ActionException {
    HelmDeploySpec spec = spec(context);
    String namespace = namespace(context, spec);
    KubeCluster cluster = clusters.open(context);
    Optional<HelmOps.Release> release = release(context, spec, namespace, cluster);
    String state = releaseState(release, description(context));
    if (!state.equals("ready")) {
      context.events().emit(new EventPayload.DeployStatus(state, List.of()));
      return Status.notReady(state);
    }
    return deployer.status(context, renderChart(context).releaseIds(), true, false);
  }

  /** The release's latest revision, if there is one. */
  private Optional<HelmOps.Release> release(
      ActionContext context, HelmDeploySpec spec, String namespace, KubeCluster cluster)
      throws ActionException {
    return call(
        context,
        spec,
        () ->
            helm.status(
                releaseName(context, spec),
                namespace,
                cluster(cluster),
                new HelmOps.Bounds(CALL_DEADLINE, context.cancellation())));
  }

  /**
   * A release's state as Grove names a Deploy's: {@code missing} (none, or uninstalled), {@code
   * unhealthy} (its latest revision failed), {@code deploying} (Helm is at work), {@code outdated}
   * (another version, or a revision Grove did not write), else {@code ready} (its objects decide).
   */
  static String releaseState(Optional<HelmOps.Release> release, String description) {
    if (release.isEmpty()) {
      return "missing";
    }
    String status = release.get().status();
    return switch (status) {
      case "deployed" -> description.equals(release.get().description()) ? "ready" : "outdated";
      case "failed" -> "unhealthy";
      case "pending-install", "pending-upgrade", "pending-rollback" -> "deploying";
      case "uninstalled", "uninstalling" -> "missing";
      default -> "outdated";
    };
  }

  /** Uninstalls the release (Helm deletes its objects and release Secrets). */
  @Override
  public void cleanup(ActionContext context) throws ActionException {
    HelmDeploySpec spec = spec(context);
    String namespace = namespace(context, spec);
    String release = releaseName(context, spec);
    KubeCluster cluster = clusters.open(context);
    boolean removed =
        call(
            context,
            spec,
            () ->
                helm.uninstall(
                    release,
                    namespace,
                    cluster(cluster),
                    new HelmOps.Bounds(CALL_DEADLINE, context.cancellation())));
    context
        .log()
        .line(
            LogSink.STDOUT,
            removed
                ? "uninstalled release " + release + " (namespace " + namespace + ")"
                : "no release " + release + " in namespace " + namespace + ": nothing to delete");
  }

  @Override
  public Found workloads(ActionContext context) throws ActionException {
    HelmDeploySpec spec = spec(context);
    String namespace = namespace(context, spec);
    KubeCluster cluster = clusters.open(context);
    Optional<HelmOps.Release> release = release(context, spec, namespace, cluster);
    if (release.isEmpty()) {
      return new Found(cluster, namespace, null, List.of());
    }
    String description = release.get().description();
    String prefix = "grove " + context.ref() + " ";
    String version =
        description != null && description.startsWith(prefix)
            ? description.substring(prefix.length())
            : "";
    return deployer.workloads(context, namespace, version, renderChart(context).releaseIds());
  }

  private static Path localChart(ActionContext context, HelmDeploySpec spec) {
    return context.sourceDir().resolve(spec.chart().path().orElseThrow()).normalize();
  }

  /** Where the chart is, for Helm; a local chart must have its {@code Chart.yaml}. */
  private static HelmOps.ChartRef chartRef(ActionContext context, HelmDeploySpec spec)
      throws ActionException {
    HelmDeploySpec.Chart chart = spec.chart();
    if (chart.local()) {
      Path dir = localChart(context, spec);
      if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
        throw new ActionException(
            ActionCodes.INVALID_SPEC,
            context.ref()
                + ": "
                + (spec.chart().path().get().equals(".") ? "there is no chart.path and " : "")
                + "the folder "
                + dir
                + " has no Chart.yaml.",
            "Set spec.chart.path to the chart's folder (relative to the action's folder), or name"
                + " a remote chart with spec.chart.name and repo, or spec.chart.url.");
      }
      return HelmOps.ChartRef.local(dir);
    }
    return new HelmOps.ChartRef(
        chart.url().or(chart::name).orElseThrow(), chart.version(), chart.repo());
  }

  /** The value files (checked to exist, named by their spec property) and {@code values}. */
  private static HelmOps.Values values(ActionContext context, HelmDeploySpec spec)
      throws ActionException {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < spec.valueFiles().size(); i++) {
      Path file = context.sourceDir().resolve(spec.valueFiles().get(i)).normalize();
      if (!Files.isRegularFile(file)) {
        throw new ActionException(
            ActionCodes.INVALID_SPEC,
            context.ref()
                + ": spec.valueFiles["
                + i
                + "] is "
                + spec.valueFiles().get(i)
                + ", but there is no such file in "
                + context.sourceDir()
                + ".",
            "Write the path relative to the action's folder, or remove the entry.");
      }
      files.add(file);
    }
    return new HelmOps.Values(
        files, spec.values().isEmpty() ? "" : RenderedChart.yaml().dump(spec.values()));
  }

  /** The login an {@code oci://} chart needs: the credentials Grove finds for its registry. */
  private List<HelmOps.RegistryLogin> logins(ActionContext context, HelmDeploySpec spec)
      throws ActionException {
    String ref = spec.chart().url().or(spec.chart()::name).orElse("");
    if (!ref.startsWith("oci://")) {
      return List.of();
    }
    String host = ref.substring("oci://".length()).split("/", 2)[0];
    Optional<RegistryAuth> auth = credentials.find(host, context.env());
    if (auth.isEmpty()) {
      return List.of();
    }
    boolean plainHttp =
        KubeContext.of(context)
            .registry()
            .map(r -> r.host().equalsIgnoreCase(host) && r.insecure())
            .orElse(false);
    return List.of(
        new HelmOps.RegistryLogin(host, auth.get().username(), auth.get().password(), plainHttp));
  }

  private static RenderedChart.Metadata metadata(
      ActionContext context, HelmDeploySpec spec, ChartRender rendered) throws ActionException {
    return spec.chart().local()
        ? RenderedChart.Metadata.of(localChart(context, spec), context.ref().toString())
        : RenderedChart.Metadata.remote(rendered.chartName(), spec.chart().version());
  }

  /**
   * The target's kubeconfig with its context as the current one: Helm reads a kubeconfig, not a
   * context name.
   */
  static HelmOps.Cluster cluster(KubeCluster cluster) throws ActionException {
    KubeConfigResolver.Target target = cluster.target();
    try {
      Object loaded = new Yaml(new LoaderOptions()).load(Files.readString(target.kubeconfig()));
      if (!(loaded instanceof Map<?, ?> map)) {
        throw new IOException("it is not a map");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> config = new java.util.LinkedHashMap<>((Map<String, Object>) map);
      config.put("current-context", target.context());
      return new HelmOps.Cluster(RenderedChart.yaml().dump(config));
    } catch (IOException | RuntimeException e) {
      throw new ActionException(
          ActionCodes.KUBE_CONFIG,
          "Cannot read the kubeconfig " + target.kubeconfig() + " for Helm: " + e.getMessage(),
          "Check the file with `kubectl config view --kubeconfig " + target.kubeconfig() + "`.");
    }
  }

  /** A Helm call whose failure names the action and the chart, keeping Helm's own message. */
  private static <T> T call(ActionContext context, HelmDeploySpec spec, HelmCall<T> call)
      throws ActionException {
    try {
      return call.run();
    } catch (ActionException e) {
      if (!e.code().equals(ActionCodes.HELM_FAILED)) {
        throw e;
      }
      // Helm's CLI advice, which no Grove command takes
      String message = e.getMessage().replace("; Use --debug flag to render out invalid YAML", "");
      throw new ActionException(
          e.code(),
          context.ref() + ": " + spec.chart().describe() + ": " + message,
          e.suggestion());
    }
  }

  @FunctionalInterface
  private interface HelmCall<T> {
    T run() throws ActionException;
  }

  private static Path createTempDir(ActionContext context) throws ActionException {
    try {
      return Files.createTempDirectory("grove-helm-" + context.ref().name() + "-");
    } catch (IOException e) {
      throw new ActionException(
          ActionCodes.HELM_FAILED,
          context.ref() + ": cannot create a folder for the rendered chart: " + e.getMessage(),
          "Check that the temporary folder (java.io.tmpdir) is writable and has space.");
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // a temporary folder left behind; the OS cleans it
    }
  }
}
