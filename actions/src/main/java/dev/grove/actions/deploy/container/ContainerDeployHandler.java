package dev.grove.actions.deploy.container;

import dev.grove.actions.kube.KubeApplier;
import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.kube.KubeConfigResolver;
import dev.grove.actions.kube.RolloutWatcher;
import dev.grove.actions.kube.SecretCopier;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.DeployTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code Deploy/container}: the generated Deployment (or DaemonSet), Service and Ingresses, applied
 * server-side with the provider's pull secrets copied into the namespace and set on the pod, then
 * the rollout waited for (failing fast).
 */
final class ContainerDeployHandler implements ActionHandler {
  static final String NO_TARGET = "NO_DEPLOY_TARGET";

  /** How the handler reaches a cluster: production resolves the kubeconfig; tests a mock. */
  interface Clusters {
    Cluster open(ActionContext context) throws ActionException;

    Clusters KUBECONFIG =
        context -> {
          KubeConfigResolver.Target target =
              KubeConfigResolver.resolve(
                  target(context).provider(), context.projectRoot(), context.env());
          return new Cluster(KubeClients.client(target), target);
        };
  }

  record Cluster(KubernetesClient client, KubeConfigResolver.Target target) {}

  private final Clusters clusters;
  private final Duration pollInterval;

  ContainerDeployHandler(Clusters clusters, Duration pollInterval) {
    this.clusters = clusters;
    this.pollInterval = pollInterval;
  }

  static DeployTarget target(ActionContext context) throws ActionException {
    if (context.deploy() == null) {
      throw new ActionException(
          NO_TARGET,
          context.ref() + " has no deploy target (namespace, provider).",
          "Run it through the daemon (grove deploy); this is a bug if it happened there.");
    }
    return context.deploy();
  }

  @Override
  public Status status(ActionContext context) throws ActionException {
    DeployTarget target = target(context);
    Cluster cluster = clusters.open(context);
    KubeApplier applier = new KubeApplier(cluster.client(), cluster.target());
    String deployed = applier.deployedVersion(context.ref().toString(), target.namespace());
    if (deployed == null) {
      return Status.notReady("missing");
    }
    if (!deployed.equals(context.version())) {
      return Status.notReady("outdated");
    }
    List<KubeApplier.ObjectId> ids =
        new ArrayList<>(applier.inventory(context.ref().toString(), target.namespace()));
    try {
      boolean settled =
          new RolloutWatcher(cluster.client(), cluster.target(), pollInterval).settled(ids, true);
      return settled ? new Status(true, "ready", outputs(context)) : Status.notReady("deploying");
    } catch (ActionException e) {
      if (e.code().equals(RolloutWatcher.ROLLOUT_FAILED)) {
        return Status.notReady("unhealthy");
      }
      throw e;
    }
  }

  @Override
  public Outputs process(ActionContext context) throws ActionException {
    DeployTarget target = target(context);
    ContainerDeploySpec spec =
        ContainerDeploySpec.parse(context.spec(), context.ref().name(), context.sourceDir());
    Object built = target.buildOutputs().get("deploymentImageId");
    String image =
        spec.imageId(
            built == null ? Optional.empty() : Optional.of(String.valueOf(built)),
            context.ref().name());
    List<SecretCopier.SecretRef> pullSecrets =
        SecretCopier.refs(target.provider(), "imagePullSecrets");
    List<Map<String, Object>> objects =
        ContainerManifests.generate(
            context.ref().name(),
            context.version(),
            spec,
            image,
            new ContainerManifests.Target(
                target.namespace(),
                pullSecrets.stream().map(SecretCopier.SecretRef::name).toList(),
                text(target.provider(), "ingressClass"),
                text(target.provider(), "defaultHostname"),
                target.production()));
    Cluster cluster = clusters.open(context);
    KubeApplier applier = new KubeApplier(cluster.client(), cluster.target());
    applier.ensureNamespace(target.namespace());
    List<SecretCopier.SecretRef> copies = new ArrayList<>(pullSecrets);
    copies.addAll(SecretCopier.refs(target.provider(), "copySecrets"));
    SecretCopier.copy(cluster.client(), cluster.target(), copies, target.namespace());
    List<KubeApplier.ObjectId> pruned =
        applier.apply(context.ref().toString(), context.version(), target.namespace(), objects);
    for (KubeApplier.ObjectId id : pruned) {
      context.log().line(dev.grove.actions.spi.LogSink.STDOUT, "pruned " + id);
    }
    List<KubeApplier.ObjectId> ids =
        new ArrayList<>(applier.inventory(context.ref().toString(), target.namespace()));
    new RolloutWatcher(cluster.client(), cluster.target(), pollInterval)
        .await(
            ids,
            true,
            context.timeout(),
            context.cancellation(),
            progress -> context.events().emit("rolloutProgress", progressPayload(progress)));
    Map<String, Object> outputs = new LinkedHashMap<>(outputs(context));
    outputs.put("deployedImageId", image);
    return new Outputs(outputs);
  }

  static Map<String, Object> progressPayload(RolloutWatcher.Progress progress) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("kind", progress.kind());
    payload.put("name", progress.name());
    payload.put("desired", progress.desired());
    payload.put("updated", progress.updated());
    payload.put("ready", progress.ready());
    payload.put("done", progress.done());
    payload.put("waiting", progress.waiting());
    return payload;
  }

  private static Map<String, Object> outputs(ActionContext context) {
    return context.outputs();
  }

  private static Optional<String> text(Map<String, Object> provider, String key) {
    return provider.get(key) instanceof String value && !value.isBlank()
        ? Optional.of(value)
        : Optional.empty();
  }
}
