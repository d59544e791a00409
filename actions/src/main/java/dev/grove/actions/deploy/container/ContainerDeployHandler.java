package dev.grove.actions.deploy.container;

import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.kube.KubeDeployer;
import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.provider.SecretRef;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.DeployTarget;
import dev.grove.actions.spi.KubeContext;
import dev.grove.api.event.EventPayload.Warning;
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
  private final KubeDeployer deployer;

  ContainerDeployHandler(KubeCluster.Opener clusters, Duration pollInterval) {
    this.deployer = new KubeDeployer(clusters, pollInterval);
  }

  @Override
  public Found workloads(ActionContext context) throws ActionException {
    return deployer.workloads(context, KubeContext.target(context).namespace());
  }

  @Override
  public Status status(ActionContext context) throws ActionException {
    return deployer.status(context, KubeContext.target(context).namespace(), true);
  }

  /** What deploy applies: the generated objects, without touching a cluster. */
  @Override
  public Rendered render(ActionContext context) throws ActionException {
    return render(context, spec(context));
  }

  private static ContainerDeploySpec spec(ActionContext context) throws ActionException {
    return context.spec(
        ContainerDeploySpec.class,
        c -> ContainerDeploySpec.parse(c.spec(), c.ref().name(), c.sourceDir()));
  }

  private static Rendered render(ActionContext context, ContainerDeploySpec spec)
      throws ActionException {
    ContainerManifests.Target target = manifestTarget(context);
    List<Warning> warnings = new ArrayList<>();
    for (int index : ContainerManifests.ingressesWithoutHost(spec, target)) {
      warnings.add(
          new Warning(
              ActionCodes.INVALID_SPEC,
              noHostname(index) + " Rendered for any host; a deploy fails, as Garden's.",
              hostnameFix(index)));
    }
    return new Rendered(
        ContainerManifests.generate(
            context.ref().name(), context.version(), spec, image(context, spec), target),
        warnings);
  }

  private static ContainerManifests.Target manifestTarget(ActionContext context)
      throws ActionException {
    DeployTarget target = KubeContext.target(context);
    KubernetesProvider provider = KubeContext.of(context).kubernetes();
    return new ContainerManifests.Target(
        target.namespace(),
        provider.imagePullSecrets().stream().map(SecretRef::name).toList(),
        provider.ingressClass(),
        provider.defaultHostname(),
        target.production());
  }

  private static String noHostname(int index) {
    return "spec.ingresses["
        + index
        + "].hostname is missing and the kubernetes provider has no defaultHostname.";
  }

  private static String hostnameFix(int index) {
    return "Set spec.ingresses["
        + index
        + "].hostname, or defaultHostname on the kubernetes provider (local-kubernetes"
        + " defaults it to <project>.local.demo.garden).";
  }

  @Override
  public Outputs process(ActionContext context) throws ActionException {
    DeployTarget target = KubeContext.target(context);
    ContainerDeploySpec spec = spec(context);
    List<Integer> withoutHost =
        ContainerManifests.ingressesWithoutHost(spec, manifestTarget(context));
    if (!withoutHost.isEmpty()) {
      int index = withoutHost.get(0);
      throw new ActionException(
          ActionCodes.INVALID_SPEC, context.ref() + ": " + noHostname(index), hostnameFix(index));
    }
    deployer.deploy(context, target.namespace(), render(context, spec).objects(), true);
    Map<String, Object> outputs = new LinkedHashMap<>(context.outputs());
    outputs.put("deployedImageId", image(context, spec));
    return new Outputs(outputs);
  }

  private static String image(ActionContext context, ContainerDeploySpec spec)
      throws ActionException {
    Object built = KubeContext.target(context).buildOutputs().get("deploymentImageId");
    return spec.imageId(
        built == null ? Optional.empty() : Optional.of(String.valueOf(built)),
        context.ref().name());
  }

  /** Deletes what the action's inventory names (and the inventory). */
  @Override
  public void cleanup(ActionContext context) throws ActionException {
    deployer.delete(context, KubeContext.target(context).namespace());
  }
}
