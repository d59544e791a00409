package dev.grove.actions.run.kube;

import dev.grove.actions.deploy.helm.HelmDeployType;
import dev.grove.actions.helm.HelmOps;
import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.process.SpecReader;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code Run/helm-pod} and {@code Test/helm-pod} (helm Modules' tasks and tests convert to them, as
 * in Garden): the chart rendered as a helm Deploy renders it, then a pod from the pod template of
 * {@code resource} in its output, with the action's {@code command}, {@code args} and {@code env}.
 */
public final class HelmPodRunType extends BaseActionType {

  /** The keys a helm Deploy reads to render the chart. */
  private static final Set<String> CHART_KEYS =
      Set.of("chart", "values", "valueFiles", "releaseName", "namespace", "timeout");

  private static final Schema.Obj SPEC =
      Schema.obj()
          .any(
              "resource",
              "podSpec",
              "chart",
              "values",
              "valueFiles",
              "releaseName",
              "command",
              "args",
              "env",
              "artifacts",
              "cacheResult",
              "namespace",
              "timeout")
          .build();

  private final ActionHandler handler;

  public HelmPodRunType(ActionKind kind, HelmOps helm, KubeClients clients) {
    this(kind, helm, KubeCluster.Opener.kubeconfig(clients), Duration.ofSeconds(1));
  }

  /** With its own way to clusters (tests). */
  public HelmPodRunType(ActionKind kind, HelmOps helm, KubeCluster.Opener clusters, Duration poll) {
    super(kind, "helm-pod", SPEC, Set.of("log"));
    this.handler = new Handler(HelmDeployType.chartRenderer(helm), clusters, poll);
  }

  @Override
  public ActionHandler handler() {
    return handler;
  }

  /** The spec, read once. */
  private record Spec(
      RunPods.Resource resource,
      Map<String, Object> chart,
      RunPods.Overrides overrides,
      PodRunHandler.Options options) {}

  private static final class Handler extends PodRunHandler {
    private final ActionHandler.Renderer charts;

    Handler(ActionHandler.Renderer charts, KubeCluster.Opener clusters, Duration poll) {
      super(clusters, poll);
      this.charts = charts;
    }

    private static Spec spec(ActionContext ctx) throws ActionException {
      return ctx.spec(
          Spec.class,
          c -> {
            Map<String, Object> raw = c.spec();
            String action = c.ref().toString();
            SpecReader read = new SpecReader(action);
            RunPods.Resource resource =
                RunPods.Resource.parse(raw, action)
                    .orElseThrow(
                        () ->
                            read.missing(
                                "resource",
                                "a helm-pod action runs the pod spec of a workload of its chart",
                                "Set spec.resource, such as {kind: Deployment, name: api}."));
            Map<String, Object> chart = new LinkedHashMap<>();
            raw.forEach(
                (key, value) -> {
                  if (CHART_KEYS.contains(key)) {
                    chart.put(key, value);
                  }
                });
            RunPods.Overrides overrides = RunPods.Overrides.parse(raw, action);
            return new Spec(
                resource, chart, overrides, Options.read(raw, action, overrides.shown()));
          });
    }

    @Override
    Options options(ActionContext ctx) throws ActionException {
      return spec(ctx).options();
    }

    @Override
    Map<String, Object> podSpec(ActionContext ctx, KubeCluster cluster, String namespace)
        throws ActionException {
      Spec spec = spec(ctx);
      Map<String, Object> chart = new LinkedHashMap<>(spec.chart());
      chart.put("namespace", namespace);
      ActionHandler.Rendered rendered = charts.render(ctx.withSpec(chart));
      return RunPods.runSpec(
          ctx,
          RunPods.podSpecOf(ctx, rendered.objects(), spec.resource(), "the chart's output"),
          spec.resource().container(),
          spec.overrides());
    }
  }
}
