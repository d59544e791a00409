package dev.grove.actions.deploy.helm;

import dev.grove.actions.helm.HelmOps;
import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.registry.RegistryCredentials;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code Deploy/helm}: a Helm release of a local or remote chart, without a helm binary (Helm runs
 * through {@link HelmOps}). Garden 0.13's spec, plus {@code patchResources} (Garden 0.14) and
 * Grove's {@code imagePullSecrets: provider}, both applied in Grove's post-render ({@link
 * RenderedChart}).
 */
public final class HelmDeployType extends BaseActionType {

  private static final Schema.Obj SPEC =
      Schema.obj()
          .any(
              "values",
              "valueFiles",
              "releaseName",
              "namespace",
              "atomic",
              "timeout",
              "waitForUnhealthyResources",
              "imagePullSecrets")
          .field("chart", Schema.obj().any("path", "name", "repo", "url", "version").build())
          .field(
              "patchResources",
              Schema.listOf(Schema.obj().any("kind", "name", "strategy", "patch").build()))
          .field(
              "defaultTarget",
              Schema.obj().any("kind", "name", "podSelector", "containerName").build())
          .notActedOn("portForwards", "sync", "localMode", "devMode")
          .build();

  private final ActionHandler handler;

  /**
   * @param helm Helm itself (the daemon's worker)
   * @param clients how its handler reaches clusters (for namespaces, secrets and the rollout)
   */
  public HelmDeployType(HelmOps helm, dev.grove.actions.kube.KubeClients clients) {
    super(ActionKind.DEPLOY, "helm", SPEC, Set.of());
    this.handler =
        new HelmDeployHandler(
            helm,
            KubeCluster.Opener.kubeconfig(clients),
            new RegistryCredentials(),
            Duration.ofSeconds(1));
  }

  /**
   * Renders a chart as a helm Deploy does (values, Grove's post-render), without a cluster: for the
   * helm-pod Tests and Runs, which run a pod of the chart's output.
   */
  public static ActionHandler.Renderer chartRenderer(HelmOps helm) {
    return new HelmDeployHandler(
        helm,
        context -> {
          throw new IllegalStateException("rendering a chart needs no cluster");
        },
        new RegistryCredentials(),
        Duration.ofSeconds(1));
  }

  @Override
  public ActionHandler handler() {
    return handler;
  }

  /**
   * As Garden's {@code configure}: with a {@code chart.path}, the chart's files ({@code
   * Chart.yaml}, {@code values.yaml}, ... at its top, {@code charts/}, {@code templates/}, and
   * {@code crds/} which Garden forgets) and the value files; without one, the action's folder is
   * the chart and every file counts. A remote chart's sources are its value files (Garden counts
   * every file): its reference and version are in the spec, which the version covers.
   */
  @Override
  public Optional<List<String>> defaultIncludes(Map<String, Object> spec) {
    Map<?, ?> chart = spec.get("chart") instanceof Map<?, ?> c ? c : Map.of();
    boolean remote = chart.get("name") != null || chart.get("url") != null;
    String path = chart.get("path") instanceof String p && !p.isBlank() ? strip(p) : null;
    if (!remote && (path == null || path.isEmpty() || path.equals("."))) {
      return Optional.empty();
    }
    List<String> includes = new ArrayList<>();
    if (!remote) {
      for (String glob : List.of("*", "charts/**/*", "templates/**/*", "crds/**/*")) {
        includes.add(path + "/" + glob);
      }
    }
    if (spec.get("valueFiles") instanceof List<?> files) {
      for (Object file : files) {
        if (file instanceof String f) {
          includes.add(f);
        }
      }
    }
    return Optional.of(includes);
  }

  private static String strip(String path) {
    String p = path.startsWith("./") ? path.substring(2) : path;
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
