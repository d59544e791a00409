package dev.grove.actions.deploy.container;

import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.kube.SecretCopier;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.DeployTarget;
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
final class ContainerDeployHandler
    implements ActionHandler,
        ActionHandler.Renderer,
        dev.grove.actions.spi.Cleanable,
        dev.grove.actions.kube.Workloads {
  private final KubeCluster.Opener clusters;
  private final Duration pollInterval;

  ContainerDeployHandler(KubeCluster.Opener clusters, Duration pollInterval) {
    this.clusters = clusters;
    this.pollInterval = pollInterval;
  }

  @Override
  public Found workloads(ActionContext context) throws ActionException {
    return clusters
        .open(context)
        .workloads(context.ref().toString(), KubeCluster.deployTarget(context).namespace());
  }

  @Override
  public Status status(ActionContext context) throws ActionException {
    DeployTarget target = KubeCluster.deployTarget(context);
    return clusters.open(context).status(context, target.namespace(), true, pollInterval);
  }

  /** What deploy applies: the generated objects, without touching a cluster. */
  @Override
  public Rendered render(ActionContext context) throws ActionException {
    return render(context, spec(context));
  }

  private static ContainerDeploySpec spec(ActionContext context) throws ActionException {
    return ContainerDeploySpec.parse(context.spec(), context.ref().name(), context.sourceDir());
  }

  private static Rendered render(ActionContext context, ContainerDeploySpec spec)
      throws ActionException {
    DeployTarget target = KubeCluster.deployTarget(context);
    return new Rendered(
        ContainerManifests.generate(
            context.ref().name(),
            context.version(),
            spec,
            image(context, spec),
            new ContainerManifests.Target(
                target.namespace(),
                SecretCopier.refs(target.provider(), "imagePullSecrets").stream()
                    .map(SecretCopier.SecretRef::name)
                    .toList(),
                text(target.provider(), "ingressClass"),
                text(target.provider(), "defaultHostname"),
                target.production())),
        List.of());
  }

  @Override
  public Outputs process(ActionContext context) throws ActionException {
    DeployTarget target = KubeCluster.deployTarget(context);
    ContainerDeploySpec spec = spec(context);
    List<Map<String, Object>> objects = render(context, spec).objects();
    KubeCluster cluster = clusters.open(context);
    cluster.ensureNamespace(target, target.namespace());
    List<SecretCopier.SecretRef> copies =
        new ArrayList<>(SecretCopier.refs(target.provider(), "imagePullSecrets"));
    copies.addAll(SecretCopier.refs(target.provider(), "copySecrets"));
    SecretCopier.copy(cluster.client(), cluster.target(), copies, target.namespace());
    cluster.applyAndWait(context, target.namespace(), objects, true, pollInterval);
    Map<String, Object> outputs = new LinkedHashMap<>(context.outputs());
    outputs.put("deployedImageId", image(context, spec));
    return new Outputs(outputs);
  }

  private static String image(ActionContext context, ContainerDeploySpec spec)
      throws ActionException {
    Object built = KubeCluster.deployTarget(context).buildOutputs().get("deploymentImageId");
    return spec.imageId(
        built == null ? Optional.empty() : Optional.of(String.valueOf(built)),
        context.ref().name());
  }

  private static Optional<String> text(Map<String, Object> provider, String key) {
    return provider.get(key) instanceof String value && !value.isBlank()
        ? Optional.of(value)
        : Optional.empty();
  }

  /** Deletes what the action's inventory names (and the inventory). */
  @Override
  public void cleanup(ActionContext context) throws ActionException {
    clusters.open(context).deleteAction(context, KubeCluster.deployTarget(context).namespace());
  }
}
