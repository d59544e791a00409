package dev.grove.actions.kube;

import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.DeployTarget;
import dev.grove.api.event.EventPayload;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cluster a Deploy talks to: the client and where it came from (for errors). {@link KubeDeployer}
 * composes its status and apply-and-wait steps.
 */
public record KubeCluster(KubernetesClient client, KubeConfigResolver.Target target) {
  public static final String NO_TARGET = "NO_DEPLOY_TARGET";

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
   * A Deploy's status from its inventory and its objects: {@code missing} (never deployed, or an
   * object is gone), {@code outdated} (another version), {@code unhealthy} (a pod cannot start),
   * {@code deploying} (a rollout is not done), or ready. Each object's own state goes out as a
   * {@code deployStatus} event.
   */
  public ActionHandler.Status status(
      ActionContext context, String namespace, boolean waitForJobs, Duration pollInterval)
      throws ActionException {
    KubeApplier applier = applier();
    String action = context.ref().toString();
    String deployed = applier.deployedVersion(action, namespace);
    if (deployed == null) {
      return ActionHandler.Status.notReady("missing");
    }
    RolloutWatcher watcher = watcher(pollInterval);
    List<EventPayload.DeployStatus.DeployedObject> objects = new ArrayList<>();
    String worst = "ready";
    for (KubeApplier.ObjectId id : applier.inventory(action, namespace)) {
      String state = objectState(applier, watcher, id, context.version(), waitForJobs);
      objects.add(
          new EventPayload.DeployStatus.DeployedObject(
              id.kind(), id.name(), id.namespace(), state));
      if (RANK.indexOf(state) < RANK.indexOf(worst)) {
        worst = state;
      }
    }
    if (!deployed.equals(context.version()) && RANK.indexOf("outdated") < RANK.indexOf(worst)) {
      worst = "outdated";
    }
    context.events().emit(new EventPayload.DeployStatus(worst, objects));
    return worst.equals("ready")
        ? new ActionHandler.Status(true, "ready", context.outputs())
        : ActionHandler.Status.notReady(worst);
  }

  /** Worst first. */
  private static final List<String> RANK =
      List.of("missing", "outdated", "unhealthy", "deploying", "ready");

  private static String objectState(
      KubeApplier applier,
      RolloutWatcher watcher,
      KubeApplier.ObjectId id,
      String version,
      boolean waitForJobs)
      throws ActionException {
    var live = applier.get(id);
    if (live == null) {
      return "missing";
    }
    Map<String, String> annotations = live.getMetadata().getAnnotations();
    if (annotations == null || !version.equals(annotations.get(GroveLabels.VERSION))) {
      return "outdated";
    }
    if (!RolloutWatcher.isWorkload(id.kind(), waitForJobs)) {
      return "ready";
    }
    try {
      return watcher.progress(id).done() ? "ready" : "deploying";
    } catch (ActionException e) {
      if (e.code().equals(RolloutWatcher.ROLLOUT_FAILED)) {
        return "unhealthy";
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
        .await(ids, waitForJobs, context.timeout(), context.cancellation(), context.events()::emit);
  }
}
