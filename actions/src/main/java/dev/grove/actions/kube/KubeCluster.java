package dev.grove.actions.kube;

import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.KubeContext;
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
                KubeContext.of(context).kubernetes(),
                context.projectRoot(),
                context.env(),
                line -> context.log().line(dev.grove.actions.spi.LogSink.STDOUT, line));
        return new KubeCluster(clients.client(target), target);
      };
    }
  }

  public KubeApplier applier() {
    return new KubeApplier(client, target);
  }

  public RolloutWatcher watcher(Duration pollInterval) {
    return new RolloutWatcher(client, target, pollInterval);
  }
}
