package dev.grove.actions.kube;

import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.DeployTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A cluster a Deploy talks to: the client and where it came from (for errors). */
public record KubeCluster(KubernetesClient client, KubeConfigResolver.Target target) {
  public static final String NO_TARGET = "NO_DEPLOY_TARGET";

  /** How handlers reach a cluster: production resolves the kubeconfig; tests use a mock. */
  @FunctionalInterface
  public interface Opener {
    KubeCluster open(ActionContext context) throws ActionException;

    /** The provider's kubeconfig and context, from the invoking shell's environment. */
    Opener KUBECONFIG =
        context -> {
          KubeConfigResolver.Target target =
              KubeConfigResolver.resolve(
                  deployTarget(context).provider(), context.projectRoot(), context.env());
          return new KubeCluster(KubeClients.client(target), target);
        };
  }

  /** The Deploy's target; a context without one is a bug in the caller. */
  public static DeployTarget deployTarget(ActionContext context) throws ActionException {
    if (context.deploy() == null) {
      throw new ActionException(
          NO_TARGET,
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

  /**
   * A Deploy's status from its inventory: {@code missing}, {@code outdated} (another version),
   * {@code unhealthy} (a pod cannot start), {@code deploying}, or ready.
   */
  public ActionHandler.Status status(
      String action,
      String version,
      String namespace,
      boolean waitForJobs,
      Map<String, Object> outputs,
      Duration pollInterval)
      throws ActionException {
    KubeApplier applier = applier();
    String deployed = applier.deployedVersion(action, namespace);
    if (deployed == null) {
      return ActionHandler.Status.notReady("missing");
    }
    if (!deployed.equals(version)) {
      return ActionHandler.Status.notReady("outdated");
    }
    List<KubeApplier.ObjectId> ids = new ArrayList<>(applier.inventory(action, namespace));
    try {
      return watcher(pollInterval).settled(ids, waitForJobs)
          ? new ActionHandler.Status(true, "ready", outputs)
          : ActionHandler.Status.notReady("deploying");
    } catch (ActionException e) {
      if (e.code().equals(RolloutWatcher.ROLLOUT_FAILED)) {
        return ActionHandler.Status.notReady("unhealthy");
      }
      throw e;
    }
  }

  /** Applies, logs what was pruned, and waits for the rollout with progress events. */
  public void applyAndWait(
      ActionContext context,
      String namespace,
      List<Map<String, Object>> objects,
      boolean waitForJobs,
      Duration pollInterval)
      throws ActionException {
    KubeApplier applier = applier();
    String action = context.ref().toString();
    for (KubeApplier.ObjectId id : applier.apply(action, context.version(), namespace, objects)) {
      context.log().line(dev.grove.actions.spi.LogSink.STDOUT, "pruned " + id);
    }
    List<KubeApplier.ObjectId> ids = new ArrayList<>(applier.inventory(action, namespace));
    watcher(pollInterval)
        .await(
            ids,
            waitForJobs,
            context.timeout(),
            context.cancellation(),
            progress ->
                context
                    .events()
                    .emit(dev.grove.api.event.EventTypes.ROLLOUT_PROGRESS, progress.payload()));
  }
}
