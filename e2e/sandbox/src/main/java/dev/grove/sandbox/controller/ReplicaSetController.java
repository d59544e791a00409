package dev.grove.sandbox.controller;

import dev.grove.sandbox.cluster.ClusterState;
import dev.grove.sandbox.cluster.EventRecorder;
import dev.grove.sandbox.cluster.KubeJson;
import dev.grove.sandbox.cluster.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The replicaset controller: keeps {@code spec.replicas} pods {@code <replicaset>-<suffix>} of the
 * template, deleting the surplus (not-ready and newest first), and writes the ReplicaSet's status.
 */
public final class ReplicaSetController {

  private final KubernetesClient client;
  private final PodFactory pods;
  private final EventRecorder events;
  private final Names names;

  ReplicaSetController(
      KubernetesClient client, PodFactory pods, EventRecorder events, Names names) {
    this.client = client;
    this.pods = pods;
    this.events = events;
    this.names = names;
  }

  public void reconcile(ClusterState state, ReplicaSet rs) {
    int desired = ClusterState.replicas(rs.getSpec().getReplicas());
    List<Pod> owned = ClusterState.ownedBy(state.pods(), rs);
    List<Pod> active = owned.stream().filter(p -> !Pods.finished(p)).toList();
    for (int i = active.size(); i < desired; i++) {
      createPod(state, rs);
    }
    if (active.size() > desired) {
      List<Pod> surplus =
          active.stream()
              .sorted(
                  Comparator.comparing((Pod p) -> Pods.ready(p))
                      .thenComparing(
                          p -> p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder()))
              .limit(active.size() - desired)
              .toList();
      for (Pod pod : surplus) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).delete();
        events.record(
            rs,
            null,
            EventRecorder.NORMAL,
            "SuccessfulDelete",
            "Deleted pod: " + pod.getMetadata().getName(),
            "replicaset-controller");
      }
    }
    int ready = (int) active.stream().filter(Pods::ready).count();
    ReplicaSetStatus status =
        new ReplicaSetStatusBuilder()
            .withObservedGeneration(rs.getMetadata().getGeneration())
            .withReplicas(active.size())
            .withFullyLabeledReplicas(ClusterState.count(active.size()))
            .withReadyReplicas(ClusterState.count(ready))
            .withAvailableReplicas(ClusterState.count(ready))
            .build();
    if (!KubeJson.same(status, rs.getStatus())) {
      ReplicaSet updated = KubeJson.copy(rs);
      updated.setStatus(status);
      client.apps().replicaSets().resource(updated).updateStatus();
    }
  }

  /** One more pod {@code <replicaset>-<suffix>} of the ReplicaSet's template, recorded. */
  public Pod createPod(ClusterState state, ReplicaSet rs) {
    Pod pod =
        pods.create(
            state,
            rs.getMetadata().getName() + "-" + names.suffix(),
            rs,
            rs.getSpec().getTemplate(),
            Map.of(),
            Map.of());
    events.record(
        rs,
        null,
        EventRecorder.NORMAL,
        "SuccessfulCreate",
        "Created pod: " + pod.getMetadata().getName(),
        "replicaset-controller");
    return pod;
  }
}
