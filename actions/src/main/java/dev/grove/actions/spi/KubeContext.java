package dev.grove.actions.spi;

import dev.grove.actions.provider.ImageRegistry;
import dev.grove.actions.provider.KubernetesProvider;
import java.util.Optional;

/**
 * What only the types that work with Kubernetes get, as an {@link ActionContext#extension}: the
 * environment's kubernetes provider (its context, registry, build mode, pull secrets, ...) and, for
 * a Deploy, where it goes. Exec types never read it.
 *
 * @param kubernetes the environment's kubernetes provider (every field at its default without one)
 * @param deploy where a Deploy, Run or Test goes (namespace, its Build's outputs); null for a Build
 */
public record KubeContext(KubernetesProvider kubernetes, DeployTarget deploy) {

  public KubeContext {
    kubernetes = kubernetes == null ? KubernetesProvider.absent() : kubernetes;
  }

  /** The action's, or Garden's defaults without a provider and without a deploy target. */
  public static KubeContext of(ActionContext context) {
    return context.extension(KubeContext.class).orElseGet(() -> new KubeContext(null, null));
  }

  /** The kubernetes provider's {@code deploymentRegistry}, if it has one. */
  public Optional<ImageRegistry> registry() {
    return kubernetes.deploymentRegistry();
  }

  /** The kubernetes provider's {@code buildMode} ({@code local-docker} by default). */
  public String buildMode() {
    return kubernetes.buildMode();
  }

  /** The Deploy's target; a context without one is a bug in the caller. */
  public static DeployTarget target(ActionContext context) throws ActionException {
    DeployTarget deploy = of(context).deploy();
    if (deploy == null) {
      throw new ActionException(
          ActionCodes.NO_DEPLOY_TARGET,
          context.ref() + " has no deploy target (namespace, provider).",
          "Run it through the daemon (grove deploy); this is a bug if it happened there.");
    }
    return deploy;
  }
}
