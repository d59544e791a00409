package dev.grove.actions.kube;

import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.KubeContext;
import dev.grove.actions.spi.LogSink;
import dev.grove.api.event.EventPayload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a Kubernetes Deploy does with a cluster once its type rendered the objects: status, deploy
 * (namespaces with the provider's secrets, server-side apply, rollout wait), delete and the
 * workloads for logs. Both Deploy types ({@code container} and {@code kubernetes}) go through it.
 */
public final class KubeDeployer {
  private final KubeCluster.Opener clusters;
  private final Duration pollInterval;

  public KubeDeployer(KubeCluster.Opener clusters, Duration pollInterval) {
    this.clusters = clusters;
    this.pollInterval = pollInterval;
  }

  /**
   * Creates {@code namespace} and every other namespace the objects name, copies the provider's
   * {@code imagePullSecrets} and {@code copySecrets} into each (as Garden does since 0.13.50),
   * applies the objects with the action's inventory in {@code namespace}, and waits for the
   * rollout.
   */
  public void deploy(
      ActionContext context,
      String namespace,
      List<Map<String, Object>> objects,
      boolean waitForJobs)
      throws ActionException {
    Set<String> namespaces = new LinkedHashSet<>();
    namespaces.add(namespace);
    for (Map<String, Object> object : objects) {
      if (object.get("metadata") instanceof Map<?, ?> metadata
          && metadata.get("namespace") instanceof String ns) {
        namespaces.add(ns);
      }
    }
    KubeCluster cluster = clusters.open(context);
    KubernetesProvider provider = KubeContext.of(context).kubernetes();
    for (String ns : namespaces) {
      ensureNamespace(cluster, provider, ns);
      SecretCopier.copy(cluster.client(), cluster.target(), provider.secretsToCopy(), ns);
    }
    applyAndWait(cluster, context, namespace, objects, waitForJobs);
  }

  /**
   * Creates the namespace when missing; the app namespace gets the labels and annotations of the
   * provider's {@code namespace: {name, labels, annotations}}.
   */
  private static void ensureNamespace(
      KubeCluster cluster, KubernetesProvider provider, String namespace) throws ActionException {
    var settings = provider.namespaceSettings(namespace);
    cluster
        .applier()
        .ensureNamespace(
            namespace,
            settings.map(KubernetesProvider.Namespace::labels).orElse(Map.of()),
            settings.map(KubernetesProvider.Namespace::annotations).orElse(Map.of()));
  }

  /**
   * Deletes what the action's inventory names in the namespace (and the inventory), saying on the
   * action's log what went and what was kept (a Namespace: it may hold other actions' objects).
   */
  public void delete(ActionContext context, String namespace) throws ActionException {
    KubeApplier applier = clusters.open(context).applier();
    for (var id : applier.deleteAction(context.ref().toString(), namespace)) {
      context
          .log()
          .line(
              LogSink.STDOUT,
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
  public Workloads.Found workloads(ActionContext context, String namespace) throws ActionException {
    KubeCluster cluster = clusters.open(context);
    KubeApplier applier = cluster.applier();
    String action = context.ref().toString();
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
    return new Workloads.Found(cluster, namespace, version, workloads);
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

  /**
   * A Deploy's status from its inventory and its objects: {@code missing} (never deployed, or an
   * object is gone), {@code outdated} (another version), {@code unhealthy} (a pod cannot start),
   * {@code deploying} (a rollout is not done), or ready. Each object's own state goes out as a
   * {@code deployStatus} event.
   */
  public ActionHandler.Status status(ActionContext context, String namespace, boolean waitForJobs)
      throws ActionException {
    KubeCluster cluster = clusters.open(context);
    KubeApplier applier = cluster.applier();
    String action = context.ref().toString();
    String deployed = applier.deployedVersion(action, namespace);
    if (deployed == null) {
      return ActionHandler.Status.notReady("missing");
    }
    RolloutWatcher watcher = cluster.watcher(pollInterval);
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
      if (e.code().equals(ActionCodes.ROLLOUT_FAILED)) {
        return "unhealthy";
      }
      throw e;
    }
  }

  /** Applies, logs what was pruned, and waits for the rollout with progress events. */
  private void applyAndWait(
      KubeCluster cluster,
      ActionContext context,
      String namespace,
      List<Map<String, Object>> objects,
      boolean waitForJobs)
      throws ActionException {
    KubeApplier applier = cluster.applier();
    String action = context.ref().toString();
    for (KubeApplier.ObjectId id : applier.apply(action, context.version(), namespace, objects)) {
      context.log().line(dev.grove.actions.spi.LogSink.STDOUT, "pruned " + id);
    }
    List<KubeApplier.ObjectId> ids = new ArrayList<>(applier.inventory(action, namespace));
    cluster
        .watcher(pollInterval)
        .await(ids, waitForJobs, context.timeout(), context.cancellation(), context.events()::emit);
  }
}
