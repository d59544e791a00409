package dev.grove.actions.run.kube;

import dev.grove.actions.deploy.kubernetes.KubernetesDeploySpec;
import dev.grove.actions.deploy.kubernetes.KubernetesManifests;
import dev.grove.actions.deploy.kubernetes.KustomizeBuild;
import dev.grove.actions.deploy.kubernetes.PullSecrets;
import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.process.SpecReader;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.DeployTarget;
import dev.grove.actions.spi.KubeContext;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code Run/kubernetes-pod} and {@code Test/kubernetes-pod} (kubernetes Modules' tasks and tests
 * convert to them, as in Garden): a pod from {@code podSpec}, or from the pod template of {@code
 * resource} among the action's {@code manifests}/{@code files} (templated, patched and kustomized
 * as a kubernetes Deploy's), with the action's {@code command}, {@code args} and {@code env}.
 */
public final class KubernetesPodRunType extends BaseActionType {

  /** The keys that say where the manifests come from, read as a kubernetes Deploy reads them. */
  private static final Set<String> MANIFEST_KEYS =
      Set.of("manifests", "files", "kustomize", "patchResources", "namespace");

  private static final Schema.Obj SPEC =
      Schema.obj()
          .any(
              "resource",
              "podSpec",
              "manifests",
              "files",
              "kustomize",
              "patchResources",
              "command",
              "args",
              "env",
              "artifacts",
              "cacheResult",
              "namespace")
          .build();

  private final ActionHandler handler;

  public KubernetesPodRunType(ActionKind kind, KubeClients clients, ProcessRunner processes) {
    this(
        kind,
        KubeCluster.Opener.kubeconfig(clients),
        new KustomizeBuild(processes),
        Duration.ofSeconds(1));
  }

  /** With its own way to clusters (tests). */
  public KubernetesPodRunType(
      ActionKind kind, KubeCluster.Opener clusters, KustomizeBuild kustomize, Duration poll) {
    super(kind, "kubernetes-pod", SPEC, Set.of("log"));
    this.handler = new Handler(clusters, kustomize, poll);
  }

  @Override
  public ActionHandler handler() {
    return handler;
  }

  /** The spec, read once. */
  private record Spec(
      Optional<Map<String, Object>> podSpec,
      Optional<RunPods.Resource> resource,
      KubernetesDeploySpec manifests,
      RunPods.Overrides overrides,
      PodRunHandler.Options options) {}

  private static final class Handler extends PodRunHandler {
    private final KustomizeBuild kustomize;

    Handler(KubeCluster.Opener clusters, KustomizeBuild kustomize, Duration poll) {
      super(clusters, poll);
      this.kustomize = kustomize;
    }

    private static Spec spec(ActionContext ctx) throws ActionException {
      return ctx.spec(
          Spec.class,
          c -> {
            Map<String, Object> raw = c.spec();
            String action = c.ref().toString();
            SpecReader read = new SpecReader(action);
            Optional<Map<String, Object>> podSpec =
                raw.get("podSpec") == null
                    ? Optional.empty()
                    : Optional.of(
                        read.object(raw.get("podSpec"), "podSpec", "{containers: [...]}."));
            Optional<RunPods.Resource> resource = RunPods.Resource.parse(raw, action);
            if (podSpec.isEmpty() && resource.isEmpty()) {
              throw read.missing(
                  "podSpec",
                  "a kubernetes-pod action runs spec.podSpec, or the pod spec of spec.resource in"
                      + " its manifests",
                  "Set spec.resource (such as {kind: Deployment, name: api}) with spec.manifests or"
                      + " spec.files, or set spec.podSpec.");
            }
            Map<String, Object> manifests = new LinkedHashMap<>();
            raw.forEach(
                (key, value) -> {
                  if (MANIFEST_KEYS.contains(key)) {
                    manifests.put(key, value);
                  }
                });
            RunPods.Overrides overrides = RunPods.Overrides.parse(raw, action);
            KubernetesDeploySpec parsed = KubernetesDeploySpec.parse(manifests, action);
            return new Spec(
                podSpec, resource, parsed, overrides, Options.read(raw, action, overrides.shown()));
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
      if (spec.podSpec().isPresent()) {
        return RunPods.runSpec(ctx, spec.podSpec().get(), Optional.empty(), spec.overrides());
      }
      RunPods.Resource resource = spec.resource().get();
      DeployTarget target = KubeContext.target(ctx);
      KubernetesManifests.Rendered rendered =
          KubernetesManifests.render(
              ctx.ref().name(),
              ctx.version(),
              spec.manifests(),
              ctx.sourceDir(),
              namespace,
              (document, file, index) ->
                  target.templates().resolve(document, file + " document " + (index + 1)),
              PullSecrets.none(),
              kustomize.forAction(ctx, ctx.timeout()));
      return RunPods.runSpec(
          ctx,
          RunPods.podSpecOf(ctx, rendered.objects(), resource, "its manifests"),
          resource.container(),
          spec.overrides());
    }
  }
}
