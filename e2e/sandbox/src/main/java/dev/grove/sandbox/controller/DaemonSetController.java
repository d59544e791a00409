package dev.grove.sandbox.controller;

import dev.grove.sandbox.cluster.ClusterState;
import dev.grove.sandbox.cluster.EventRecorder;
import dev.grove.sandbox.cluster.KubeJson;
import dev.grove.sandbox.cluster.Node;
import dev.grove.sandbox.cluster.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * The daemonset controller on a one-node cluster: one pod {@code <name>-<suffix>} when the
 * template's nodeSelector fits the node, replaced on a template change (RollingUpdate; OnDelete
 * leaves it), and the DaemonSet's status. Pods carry {@code controller-revision-hash}, the hash of
 * their template's ControllerRevision ({@link ControllerRevisions}).
 */
public final class DaemonSetController {

  private static final String COMPONENT = "daemonset-controller";

  private final KubernetesClient client;
  private final PodFactory pods;
  private final EventRecorder events;
  private final Names names;
  private final ControllerRevisions revisions;

  DaemonSetController(KubernetesClient client, PodFactory pods, EventRecorder events, Names names) {
    this.client = client;
    this.pods = pods;
    this.events = events;
    this.names = names;
    this.revisions = new ControllerRevisions(client);
  }

  public void reconcile(ClusterState state, DaemonSet ds) {
    String hash = revision(state, ds);
    boolean onDelete =
        ds.getSpec().getUpdateStrategy() != null
            && "OnDelete".equals(ds.getSpec().getUpdateStrategy().getType());
    Map<String, String> selector =
        ds.getSpec().getTemplate().getSpec() == null
            ? null
            : ds.getSpec().getTemplate().getSpec().getNodeSelector();
    int desired =
        selector == null
                || selector.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(Node.LABELS.get(e.getKey())))
            ? 1
            : 0;
    List<Pod> owned =
        ClusterState.ownedBy(state.pods(), ds).stream().filter(p -> !Pods.finished(p)).toList();
    int kept = 0;
    for (Pod pod : owned) {
      boolean outdated =
          !hash.equals(pod.getMetadata().getLabels().get(ControllerRevisions.HASH_LABEL));
      if (kept >= desired || (outdated && !onDelete)) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).delete();
        events.record(
            ds,
            null,
            EventRecorder.NORMAL,
            "SuccessfulDelete",
            "Deleted pod: " + pod.getMetadata().getName(),
            COMPONENT);
      } else {
        kept++;
      }
    }
    if (owned.isEmpty() && desired > 0) {
      createPod(state, ds, hash);
    }
    int scheduled = Math.min(owned.size(), 1);
    int ready = (int) owned.stream().filter(Pods::ready).limit(1).count();
    int updated =
        (int)
            owned.stream()
                .filter(
                    p ->
                        hash.equals(
                            p.getMetadata().getLabels().get(ControllerRevisions.HASH_LABEL)))
                .limit(1)
                .count();
    DaemonSetStatus status =
        new DaemonSetStatusBuilder()
            .withObservedGeneration(ds.getMetadata().getGeneration())
            .withDesiredNumberScheduled(desired)
            .withCurrentNumberScheduled(scheduled)
            .withUpdatedNumberScheduled(ClusterState.count(updated))
            .withNumberReady(ready)
            .withNumberAvailable(ClusterState.count(ready))
            .withNumberUnavailable(ClusterState.count(Math.max(0, desired - ready)))
            .withNumberMisscheduled(0)
            .build();
    if (!KubeJson.same(status, ds.getStatus())) {
      DaemonSet updatedSet = KubeJson.copy(ds);
      updatedSet.setStatus(status);
      client.apps().daemonSets().resource(updatedSet).updateStatus();
    }
  }

  /**
   * The hash of the DaemonSet's template, whose ControllerRevision {@code <name>-<hash>} is made
   * (or renumbered) here.
   */
  public String revision(ClusterState state, DaemonSet ds) {
    String hash = Names.templateHash(ds.getSpec().getTemplate());
    revisions.ensure(state, ds, ds.getSpec().getTemplate(), hash);
    return hash;
  }

  /** The DaemonSet's pod {@code <name>-<suffix>} of revision {@code hash}, recorded. */
  public Pod createPod(ClusterState state, DaemonSet ds, String hash) {
    Pod pod =
        pods.create(
            state,
            ds.getMetadata().getName() + "-" + names.suffix(),
            ds,
            ds.getSpec().getTemplate(),
            Map.of(
                ControllerRevisions.HASH_LABEL,
                hash,
                "pod-template-generation",
                String.valueOf(ds.getMetadata().getGeneration())),
            Map.of());
    events.record(
        ds,
        null,
        EventRecorder.NORMAL,
        "SuccessfulCreate",
        "Created pod: " + pod.getMetadata().getName(),
        COMPONENT);
    return pod;
  }
}
