package dev.grove.sandbox.controller;

import dev.grove.sandbox.cluster.ClusterState;
import dev.grove.sandbox.cluster.EventRecorder;
import dev.grove.sandbox.cluster.KubeJson;
import dev.grove.sandbox.cluster.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statefulset controller: pods {@code <name>-0} to {@code <name>-(n-1)}, made in order, each
 * once the ones before are ready (all at once with {@code podManagementPolicy: Parallel}); removed
 * from the highest ordinal down; on a template change (RollingUpdate) replaced one at a time from
 * the highest ordinal down once all are ready (a pod that is not Running and Ready blocks the
 * update, as a real cluster's OrderedReady does). Pods carry {@code controller-revision-hash} with
 * the name of their template's ControllerRevision ({@link ControllerRevisions}), the {@code
 * status.updateRevision}.
 */
public final class StatefulSetController {

  private static final String COMPONENT = "statefulset-controller";

  private final KubernetesClient client;
  private final PodFactory pods;
  private final EventRecorder events;
  private final ControllerRevisions revisions;

  StatefulSetController(KubernetesClient client, PodFactory pods, EventRecorder events) {
    this.client = client;
    this.pods = pods;
    this.events = events;
    this.revisions = new ControllerRevisions(client);
  }

  public void reconcile(ClusterState state, StatefulSet s) {
    String name = s.getMetadata().getName();
    int desired = ClusterState.replicas(s.getSpec().getReplicas());
    boolean parallel = "Parallel".equals(s.getSpec().getPodManagementPolicy());
    boolean onDelete =
        s.getSpec().getUpdateStrategy() != null
            && "OnDelete".equals(s.getSpec().getUpdateStrategy().getType());
    String updateRevision = updateRevision(state, s);
    TreeMap<Integer, Pod> byOrdinal = new TreeMap<>();
    for (Pod pod : ClusterState.ownedBy(state.pods(), s)) {
      String podName = pod.getMetadata().getName();
      if (podName.startsWith(name + "-")) {
        try {
          byOrdinal.put(Integer.parseInt(podName.substring(name.length() + 1)), pod);
        } catch (NumberFormatException notOurs) {
          // a pod this controller did not name
        }
      }
    }
    // scale down, highest ordinal first
    for (Integer ordinal : byOrdinal.descendingKeySet()) {
      if (ordinal >= desired) {
        delete(s, byOrdinal.get(ordinal));
        if (!parallel) {
          break;
        }
      }
    }
    // scale up, in order
    boolean allBeforeReady = true;
    for (int i = 0; i < desired; i++) {
      Pod pod = byOrdinal.get(i);
      if (pod == null && (parallel || allBeforeReady)) {
        create(state, s, i, updateRevision);
        if (!parallel) {
          allBeforeReady = false;
        }
      } else if (pod == null || !Pods.ready(pod)) {
        allBeforeReady = false;
      }
    }
    // rolling update: replace the highest outdated pod once every pod is ready
    boolean allPresentAndReady =
        byOrdinal.headMap(desired).size() == desired
            && byOrdinal.headMap(desired).values().stream().allMatch(Pods::ready);
    if (!onDelete && allPresentAndReady) {
      for (Integer ordinal : byOrdinal.headMap(desired, false).descendingKeySet()) {
        Pod pod = byOrdinal.get(ordinal);
        if (!updateRevision.equals(
            pod.getMetadata().getLabels().get(ControllerRevisions.HASH_LABEL))) {
          delete(s, pod);
          break;
        }
      }
    }
    writeStatus(s, byOrdinal, desired, updateRevision);
  }

  /**
   * The revision of the StatefulSet's template, {@code <name>-<template hash>}: its
   * ControllerRevision, made (or renumbered) here.
   */
  public String updateRevision(ClusterState state, StatefulSet s) {
    return revisions.ensure(
        state, s, s.getSpec().getTemplate(), Names.templateHash(s.getSpec().getTemplate()));
  }

  /** Pod {@code <name>-<ordinal>} of {@code revision}, recorded. */
  public Pod create(ClusterState state, StatefulSet s, int ordinal, String revision) {
    String podName = s.getMetadata().getName() + "-" + ordinal;
    PodTemplateSpec template =
        new PodTemplateSpecBuilder(s.getSpec().getTemplate())
            .editOrNewSpec()
            .withHostname(podName)
            .withSubdomain(s.getSpec().getServiceName())
            .endSpec()
            .build();
    Pod pod =
        pods.create(
            state,
            podName,
            s,
            template,
            Map.of(
                ControllerRevisions.HASH_LABEL,
                revision,
                "statefulset.kubernetes.io/pod-name",
                podName,
                "apps.kubernetes.io/pod-index",
                String.valueOf(ordinal)),
            Map.of());
    events.record(
        s,
        null,
        EventRecorder.NORMAL,
        "SuccessfulCreate",
        "create Pod " + podName + " in StatefulSet " + s.getMetadata().getName() + " successful",
        COMPONENT);
    return pod;
  }

  private void delete(StatefulSet s, Pod pod) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).delete();
    events.record(
        s,
        null,
        EventRecorder.NORMAL,
        "SuccessfulDelete",
        "delete Pod "
            + pod.getMetadata().getName()
            + " in StatefulSet "
            + s.getMetadata().getName()
            + " successful",
        COMPONENT);
  }

  private void writeStatus(
      StatefulSet s, TreeMap<Integer, Pod> byOrdinal, int desired, String updateRevision) {
    int replicas = byOrdinal.size();
    int ready = (int) byOrdinal.values().stream().filter(Pods::ready).count();
    int updated =
        (int)
            byOrdinal.values().stream()
                .filter(
                    p ->
                        updateRevision.equals(
                            p.getMetadata().getLabels().get(ControllerRevisions.HASH_LABEL)))
                .count();
    StatefulSetStatus before = s.getStatus();
    String currentRevision =
        updated == replicas && replicas == desired
            ? updateRevision
            : before != null && before.getCurrentRevision() != null
                ? before.getCurrentRevision()
                : updateRevision;
    int current =
        (int)
            byOrdinal.values().stream()
                .filter(
                    p ->
                        currentRevision.equals(
                            p.getMetadata().getLabels().get(ControllerRevisions.HASH_LABEL)))
                .count();
    StatefulSetStatus status =
        new StatefulSetStatusBuilder()
            .withObservedGeneration(s.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withReadyReplicas(ClusterState.count(ready))
            .withCurrentReplicas(ClusterState.count(current))
            .withUpdatedReplicas(ClusterState.count(updated))
            .withAvailableReplicas(ready)
            .withCurrentRevision(currentRevision)
            .withUpdateRevision(updateRevision)
            .withCollisionCount(0)
            .build();
    if (!KubeJson.same(status, before)) {
      StatefulSet updatedSet = KubeJson.copy(s);
      updatedSet.setStatus(status);
      client.apps().statefulSets().resource(updatedSet).updateStatus();
    }
  }
}
