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
    KubeCluster cluster = prepareNamespaces(context, namespace, objects);
    applyAndWait(cluster, context, namespace, objects, waitForJobs);
  }

  /**
   * Creates {@code namespace} and every other namespace the objects name, with the provider's
   * secrets copied into each; the cluster, for what comes next (an apply, a Helm release).
   */
  public KubeCluster prepareNamespaces(
      ActionContext context, String namespace, List<Map<String, Object>> objects)
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
    return cluster;
  }

  /** The action's lint findings, on its log and as {@code warning} events. */
  public static void report(ActionContext context, List<EventPayload.Warning> warnings) {
    for (EventPayload.Warning warning : warnings) {
      context
          .log()
          .line(
              LogSink.STDERR,
              "warning "
                  + warning.code()
                  + ": "
                  + warning.message()
                  + "\n  → "
                  + warning.suggestion());
      context.events().emit(warning);
    }
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
    return workloads(
        cluster,
        namespace,
        version,
        version == null ? List.of() : List.copyOf(applier.inventory(action, namespace)));
  }

  /**
   * The workloads among {@code ids} and their pod selectors, as they are now (a Deploy without an
   * inventory, such as a Helm release, names its objects itself).
   *
   * @param version the version deployed, null when none is
   */
  public Workloads.Found workloads(
      ActionContext context, String namespace, String version, List<KubeApplier.ObjectId> ids)
      throws ActionException {
    return workloads(clusters.open(context), namespace, version, ids);
  }

  private static Workloads.Found workloads(
      KubeCluster cluster, String namespace, String version, List<KubeApplier.ObjectId> ids)
      throws ActionException {
    KubeApplier applier = cluster.applier();
    List<Workloads.Workload> workloads = new ArrayList<>();
    if (version != null) {
      for (KubeApplier.ObjectId id : ids) {
        if (!WORKLOAD_KINDS.contains(id.kind())) {
          continue;
        }
        var live = applier.get(id);
        if (live == null
            || !(live.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)) {
          continue;
        }
        if (spec.get("selector") instanceof Map<?, ?> selector) {
          workloads.add(new Workloads.Workload(id.kind(), id.name(), labelSelector(selector)));
        } else if (id.kind().equals("Job")) {
          // a Job the cluster gave no selector: its controller labels its pods with its name
          workloads.add(
              new Workloads.Workload(
                  id.kind(),
                  id.name(),
                  labelSelector(Map.of("matchLabels", Map.of("job-name", id.name())))));
        }
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
    return status(
        context,
        cluster,
        List.copyOf(applier.inventory(action, namespace)),
        deployed.equals(context.version()),
        waitForJobs);
  }

  /**
   * As {@link #status(ActionContext, String, boolean)} over objects a Deploy names itself (a Helm
   * release's): each must exist with the action's version annotation and be rolled out.
   *
   * @param current whether the deploy on record is of the action's version
   */
  public ActionHandler.Status status(
      ActionContext context, List<KubeApplier.ObjectId> ids, boolean current, boolean waitForJobs)
      throws ActionException {
    return status(context, clusters.open(context), ids, current, waitForJobs);
  }

  private ActionHandler.Status status(
      ActionContext context,
      KubeCluster cluster,
      List<KubeApplier.ObjectId> ids,
      boolean current,
      boolean waitForJobs)
      throws ActionException {
    KubeApplier applier = cluster.applier();
    RolloutWatcher watcher = cluster.watcher(pollInterval);
    List<EventPayload.DeployStatus.DeployedObject> objects = new ArrayList<>();
    String worst = "ready";
    for (KubeApplier.ObjectId id : ids) {
      String state = objectState(applier, watcher, id, context.version(), waitForJobs);
      objects.add(
          new EventPayload.DeployStatus.DeployedObject(
              id.kind(), id.name(), id.namespace(), state));
      if (RANK.indexOf(state) < RANK.indexOf(worst)) {
        worst = state;
      }
    }
    if (!current && RANK.indexOf("outdated") < RANK.indexOf(worst)) {
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

  /**
   * Waits for the rollout of the workloads among {@code ids} with progress events, failing fast on
   * a pod that cannot start (an image it cannot pull), within the action's timeout.
   */
  public void awaitRollout(
      ActionContext context,
      KubeCluster cluster,
      List<KubeApplier.ObjectId> ids,
      boolean waitForJobs)
      throws ActionException {
    cluster
        .watcher(pollInterval)
        .await(ids, waitForJobs, context.timeout(), context.cancellation(), context.events()::emit);
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
    awaitRollout(
        context, cluster, new ArrayList<>(applier.inventory(action, namespace)), waitForJobs);
  }
}
