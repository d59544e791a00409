package dev.grove.actions.kube;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.DeployTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * A cluster a Deploy talks to: the client and where it came from (for errors). {@link KubeDeployer}
 * does the work on it.
 */
public record KubeCluster(KubernetesClient client, KubeConfigResolver.Target target) {
  /** How handlers reach a cluster: production resolves the kubeconfig; tests use a mock. */
  @FunctionalInterface
  public interface Opener {
    KubeCluster open(ActionContext context) throws ActionException;

    /** The provider's kubeconfig and context, from the invoking shell's environment. */
    static Opener kubeconfig(KubeClients clients) {
      return context -> {
        KubeConfigResolver.Target target =
            clients.resolve(
                context.kubernetes(),
                context.projectRoot(),
                context.env(),
                line -> context.log().line(dev.grove.actions.spi.LogSink.STDOUT, line));
        return new KubeCluster(clients.client(target), target);
      };
    }
  }

  /** The Deploy's target; a context without one is a bug in the caller. */
  public static DeployTarget deployTarget(ActionContext context) throws ActionException {
    if (context.deploy() == null) {
      throw new ActionException(
          ActionCodes.NO_DEPLOY_TARGET,
          context.ref() + " has no deploy target (namespace, provider).",
          "Run it through the daemon (grove deploy); this is a bug if it happened there.");
    }
    return context.deploy();
  }

  public KubeApplier applier() {
    return new KubeApplier(client, target);
  }

  public RolloutWatcher watcher(Duration pollInterval) {
    return new RolloutWatcher(client, target, pollInterval);
  }
}
