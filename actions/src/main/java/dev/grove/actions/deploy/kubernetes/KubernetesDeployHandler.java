package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.kube.KubeCluster;
import dev.grove.actions.kube.KubeDeployer;
import dev.grove.actions.registry.RegistryCredentials;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.DeployTarget;
import dev.grove.actions.spi.KubeContext;
import java.time.Duration;

/**
 * {@code Deploy/kubernetes}: the user's manifests (templated, patched, labelled, pull secrets
 * linted or injected) applied server-side, then the rollout waited for (failing fast). The
 * provider's imagePullSecrets and copySecrets are copied into every namespace the objects use, as
 * Garden does since 0.13.50.
 */
final class KubernetesDeployHandler
    implements ActionHandler,
        ActionHandler.Renderer,
        dev.grove.actions.spi.Cleanable,
        dev.grove.actions.kube.Workloads {
  private final KubeDeployer deployer;
  private final RegistryCredentials credentials;
  private final KustomizeBuild kustomize;

  KubernetesDeployHandler(
      KubeCluster.Opener clusters,
      RegistryCredentials credentials,
      KustomizeBuild kustomize,
      Duration pollInterval) {
    this.deployer = new KubeDeployer(clusters, pollInterval);
    this.credentials = credentials;
    this.kustomize = kustomize;
  }

  private static KubernetesDeploySpec spec(ActionContext context) throws ActionException {
    return context.spec(
        KubernetesDeploySpec.class, c -> KubernetesDeploySpec.parse(c.spec(), c.ref().toString()));
  }

  private static String namespace(ActionContext context, KubernetesDeploySpec spec)
      throws ActionException {
    return spec.namespace().orElse(KubeContext.target(context).namespace());
  }

  @Override
  public Found workloads(ActionContext context) throws ActionException {
    return deployer.workloads(context, namespace(context, spec(context)));
  }

  @Override
  public Status status(ActionContext context) throws ActionException {
    KubernetesDeploySpec spec = spec(context);
    return deployer.status(context, namespace(context, spec), spec.waitForJobs());
  }

  @Override
  public Rendered render(ActionContext context) throws ActionException {
    DeployTarget target = KubeContext.target(context);
    KubernetesDeploySpec spec = spec(context);
    KubernetesManifests.Rendered rendered =
        KubernetesManifests.render(
            context.ref().name(),
            context.version(),
            spec,
            context.sourceDir(),
            namespace(context, spec),
            (document, file, index) ->
                target.templates().resolve(document, file + " document " + (index + 1)),
            pullSecrets(context),
            kustomize.forAction(context, spec.timeout()));
    return new Rendered(rendered.objects(), rendered.warnings());
  }

  private PullSecrets pullSecrets(ActionContext context) {
    return PullSecrets.of(context, credentials);
  }

  @Override
  public Outputs process(ActionContext context) throws ActionException {
    KubernetesDeploySpec spec = spec(context);
    Rendered rendered = render(context);
    KubeDeployer.report(context, rendered.warnings());
    deployer.deploy(context, namespace(context, spec), rendered.objects(), spec.waitForJobs());
    return new Outputs(context.outputs());
  }

  /** Deletes what the action's inventory names (and the inventory). */
  @Override
  public void cleanup(ActionContext context) throws ActionException {
    deployer.delete(context, namespace(context, spec(context)));
  }
}
