package dev.grove.actions.kube;

import dev.grove.actions.spi.ActionCodes;
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
  /** How handlers reach a cluster: production resolves the kubeconfig; tests use a mock. */
  @FunctionalInterface
  public interface Opener {
    KubeCluster open(ActionContext context) throws ActionException;

    /** The provider's kubeconfig and context, from the invoking shell's environment. */
    Opener KUBECONFIG =
        context -> {
          KubeConfigResolver.Target target =
              KubeConfigResolver.resolve(
                  deployTarget(context).provider(),
                  context.projectRoot(),
                  context.env(),
                  line -> context.log().line(dev.grove.actions.spi.LogSink.STDOUT, line));
          return new KubeCluster(KubeClients.client(target), target);
        };
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

  /**
   * Creates the namespace when missing; the app namespace gets the labels and annotations of the
   * provider's {@code namespace: {name, labels, annotations}}.
   */
  public void ensureNamespace(DeployTarget target, String namespace) throws ActionException {
    Map<String, String> labels = Map.of();
    Map<String, String> annotations = Map.of();
    if (target.provider().get("namespace") instanceof Map<?, ?> spec
        && namespace.equals(spec.get("name"))) {
      labels = strings(spec.get("labels"));
      annotations = strings(spec.get("annotations"));
    }
    applier().ensureNamespace(namespace, labels, annotations);
  }

  private static Map<String, String> strings(Object value) {
    Map<String, String> strings = new java.util.LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> strings.put(String.valueOf(k), String.valueOf(v)));
    }
    return strings;
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
    List<Map<String, Object>> objects = new ArrayList<>();
    String worst = "ready";
    for (KubeApplier.ObjectId id : applier.inventory(action, namespace)) {
      String state = objectState(applier, watcher, id, context.version(), waitForJobs);
      Map<String, Object> entry = new java.util.LinkedHashMap<>();
      entry.put("kind", id.kind());
      entry.put("name", id.name());
      entry.put("namespace", id.namespace());
      entry.put("state", state);
      objects.add(entry);
      if (RANK.indexOf(state) < RANK.indexOf(worst)) {
        worst = state;
      }
    }
    if (!deployed.equals(context.version()) && RANK.indexOf("outdated") < RANK.indexOf(worst)) {
      worst = "outdated";
    }
    context
        .events()
        .emit(
            dev.grove.api.event.EventTypes.DEPLOY_STATUS,
            Map.of("state", worst, "objects", objects));
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
      if (e.code().equals(ActionCodes.ROLLOUT_FAILED)) {
        return "unhealthy";
      }
      throw e;
    }
  }

  /**
   * Deletes what the action's inventory names in the namespace (and the inventory), saying on the
   * action's log what went and what was kept (a Namespace: it may hold other actions' objects).
   */
  public void deleteAction(ActionContext context, String namespace) throws ActionException {
    for (var id : applier().deleteAction(context.ref().toString(), namespace)) {
      context
          .log()
          .line(
              dev.grove.actions.spi.LogSink.STDOUT,
              KubeApplier.keptOnDelete(id)
                  ? "kept " + id + " (it may hold more than this action: `grove cleanup namespace`)"
                  : "deleted " + id);
    }
  }

  /** Kinds whose pods {@link #workloads} finds, by their {@code spec.selector}. */
  private static final List<String> WORKLOAD_KINDS =
      List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

  /**
   * The workloads the action's inventory names and their pod selectors. Pods of a {@code
   * kubernetes} Deploy carry the user's labels, not Grove's, so they are found through their
   * workload's selector.
   */
  public Workloads.Found workloads(String action, String namespace) throws ActionException {
    KubeApplier applier = applier();
    String version = applier.deployedVersion(action, namespace);
    List<Workloads.Workload> workloads = new ArrayList<>();
    if (version != null) {
      for (KubeApplier.ObjectId id : applier.inventory(action, namespace)) {
        if (!WORKLOAD_KINDS.contains(id.kind())) {
          continue;
        }
        var live = applier.get(id);
        if (live == null
            || !(live.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)
            || !(spec.get("selector") instanceof Map<?, ?> selector)) {
          continue;
        }
        workloads.add(new Workloads.Workload(id.kind(), id.name(), labelSelector(selector)));
      }
    }
    return new Workloads.Found(this, namespace, version, workloads);
  }

  private static io.fabric8.kubernetes.api.model.LabelSelector labelSelector(Map<?, ?> selector) {
    var builder = new io.fabric8.kubernetes.api.model.LabelSelectorBuilder();
    if (selector.get("matchLabels") instanceof Map<?, ?> labels) {
      labels.forEach((k, v) -> builder.addToMatchLabels(String.valueOf(k), String.valueOf(v)));
    }
    if (selector.get("matchExpressions") instanceof List<?> expressions) {
      for (Object item : expressions) {
        if (item instanceof Map<?, ?> expression) {
          List<String> values = new ArrayList<>();
          if (expression.get("values") instanceof List<?> list) {
            list.forEach(v -> values.add(String.valueOf(v)));
          }
          builder.addToMatchExpressions(
              new io.fabric8.kubernetes.api.model.LabelSelectorRequirement(
                  String.valueOf(expression.get("key")),
                  String.valueOf(expression.get("operator")),
                  values));
        }
      }
    }
    return builder.build();
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
