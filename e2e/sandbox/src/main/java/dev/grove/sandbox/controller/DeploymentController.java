package dev.grove.sandbox.controller;

import dev.grove.sandbox.cluster.ClusterState;
import dev.grove.sandbox.cluster.EventRecorder;
import dev.grove.sandbox.cluster.KubeJson;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The deployment controller: one ReplicaSet {@code <deployment>-<template hash>} per pod template,
 * the current one scaled to {@code spec.replicas}, the older ones scaled to 0 once the current one
 * is available (at once for the Recreate strategy); and the Deployment's status with its Available
 * and Progressing conditions, ProgressDeadlineExceeded included.
 *
 * <p>A rolling update is simplified: the new ReplicaSet gets all its replicas at once (no maxSurge
 * steps), and the old pods stay until the new ones are all available, as with a single replica on a
 * real cluster.
 */
public final class DeploymentController {

  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String TEMPLATE_HASH = "pod-template-hash";
  public static final String NEW_REPLICA_SET_AVAILABLE = "NewReplicaSetAvailable";
  public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
  private static final String COMPONENT = "deployment-controller";

  private final KubernetesClient client;
  private final EventRecorder events;

  DeploymentController(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  public void reconcile(ClusterState state, Deployment d) {
    int desired = ClusterState.replicas(d.getSpec().getReplicas());
    boolean recreate =
        d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
    List<ReplicaSet> owned = ClusterState.ownedBy(state.replicaSets(), d);
    ReplicaSet current = currentReplicaSet(d, owned);
    List<ReplicaSet> old = new ArrayList<>(owned);
    old.remove(current);
    int maxRevision = owned.stream().mapToInt(DeploymentController::revision).max().orElse(0);
    int oldPods = old.stream().mapToInt(DeploymentController::statusReplicas).sum();

    if (current == null) {
      if (recreate && oldPods > 0) {
        scaleOldToZero(d, old);
      } else {
        current = createReplicaSet(d, owned);
      }
    } else {
      if (revision(current) < maxRevision) { // back to an older template: it becomes the newest
        annotate(current, maxRevision + 1);
      }
      int specReplicas = ClusterState.replicas(current.getSpec().getReplicas());
      if (specReplicas != desired && !(recreate && oldPods > 0)) {
        scale(d, current, desired);
      }
      boolean newAvailable = available(current) >= desired && statusReplicas(current) == desired;
      if (recreate || newAvailable) {
        scaleOldToZero(d, old);
      }
    }
    if (current != null) {
      recordRevision(d, current);
    }
    writeStatus(state, d, desired, current, old);
  }

  /** The Deployment's ReplicaSet for its current template: {@code <deployment>-<template hash>}. */
  public static String replicaSetName(Deployment d) {
    return d.getMetadata().getName() + "-" + Names.templateHash(d.getSpec().getTemplate());
  }

  /** Among the ReplicaSets the Deployment {@code owned}, the one of its template, or null. */
  public static ReplicaSet currentReplicaSet(Deployment d, List<ReplicaSet> owned) {
    String name = replicaSetName(d);
    return owned.stream()
        .filter(rs -> rs.getMetadata().getName().equals(name))
        .findFirst()
        .orElse(null);
  }

  /**
   * Makes the ReplicaSet of the Deployment's template with {@code spec.replicas}, its revision one
   * more than those the Deployment {@code owned} already, and records the scale-up.
   */
  public ReplicaSet createReplicaSet(Deployment d, List<ReplicaSet> owned) {
    String hash = Names.templateHash(d.getSpec().getTemplate());
    String name = d.getMetadata().getName() + "-" + hash;
    int replicas = ClusterState.replicas(d.getSpec().getReplicas());
    int revision = owned.stream().mapToInt(DeploymentController::revision).max().orElse(0) + 1;
    PodTemplateSpec template =
        new PodTemplateSpecBuilder(d.getSpec().getTemplate())
            .editOrNewMetadata()
            .addToLabels(TEMPLATE_HASH, hash)
            .endMetadata()
            .build();
    Map<String, String> selector = new LinkedHashMap<>();
    if (d.getSpec().getSelector() != null && d.getSpec().getSelector().getMatchLabels() != null) {
      selector.putAll(d.getSpec().getSelector().getMatchLabels());
    }
    selector.put(TEMPLATE_HASH, hash);
    ReplicaSet rs =
        client
            .apps()
            .replicaSets()
            .inNamespace(d.getMetadata().getNamespace())
            .resource(
                new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(d.getMetadata().getNamespace())
                    .withLabels(template.getMetadata().getLabels())
                    .addToAnnotations(REVISION, String.valueOf(revision))
                    .addToAnnotations("deployment.kubernetes.io/desired-replicas", "" + replicas)
                    .withOwnerReferences(ClusterState.controllerReference(d))
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector()
                    .withMatchLabels(selector)
                    .endSelector()
                    .withTemplate(template)
                    .endSpec()
                    .build())
            .create();
    events.record(
        d,
        null,
        EventRecorder.NORMAL,
        "ScalingReplicaSet",
        "Scaled up replica set " + name + " from 0 to " + replicas,
        COMPONENT);
    return rs;
  }

  /** Gives the Deployment the revision of its current ReplicaSet, as the annotation says it. */
  public void recordRevision(Deployment d, ReplicaSet current) {
    if (revision(current) <= 0) {
      return;
    }
    String revision = String.valueOf(revision(current));
    Map<String, String> annotations = d.getMetadata().getAnnotations();
    if (annotations == null || !revision.equals(annotations.get(REVISION))) {
      client
          .apps()
          .deployments()
          .inNamespace(d.getMetadata().getNamespace())
          .withName(d.getMetadata().getName())
          .edit(
              live -> {
                annotations(live.getMetadata()).put(REVISION, revision);
                return live;
              });
    }
  }

  private void scaleOldToZero(Deployment d, List<ReplicaSet> old) {
    for (ReplicaSet rs : old) {
      if (ClusterState.replicas(rs.getSpec().getReplicas()) > 0) {
        scale(d, rs, 0);
      }
    }
  }

  private void scale(Deployment d, ReplicaSet rs, int replicas) {
    int from = ClusterState.replicas(rs.getSpec().getReplicas());
    client
        .apps()
        .replicaSets()
        .inNamespace(rs.getMetadata().getNamespace())
        .withName(rs.getMetadata().getName())
        .edit(
            live -> {
              live.getSpec().setReplicas(replicas);
              annotations(live.getMetadata())
                  .put("deployment.kubernetes.io/desired-replicas", "" + replicas);
              return live;
            });
    events.record(
        d,
        null,
        EventRecorder.NORMAL,
        "ScalingReplicaSet",
        "Scaled "
            + (replicas > from ? "up" : "down")
            + " replica set "
            + rs.getMetadata().getName()
            + " from "
            + from
            + " to "
            + replicas,
        COMPONENT);
  }

  private void annotate(ReplicaSet rs, int revision) {
    client
        .apps()
        .replicaSets()
        .inNamespace(rs.getMetadata().getNamespace())
        .withName(rs.getMetadata().getName())
        .edit(
            live -> {
              annotations(live.getMetadata()).put(REVISION, String.valueOf(revision));
              return live;
            });
  }

  private void writeStatus(
      ClusterState state, Deployment d, int desired, ReplicaSet current, List<ReplicaSet> old) {
    List<ReplicaSet> all = new ArrayList<>(old);
    if (current != null) {
      all.add(current);
    }
    int replicas = all.stream().mapToInt(DeploymentController::statusReplicas).sum();
    int updated = current == null ? 0 : statusReplicas(current);
    int ready = all.stream().mapToInt(DeploymentController::ready).sum();
    int available = all.stream().mapToInt(DeploymentController::available).sum();
    int specTotal =
        all.stream().mapToInt(rs -> ClusterState.replicas(rs.getSpec().getReplicas())).sum();
    int unavailable = Math.max(0, specTotal - available);
    String rsName = replicaSetName(d);
    DeploymentStatus before = d.getStatus();

    boolean minimumAvailable = available >= desired - maxUnavailable(d, desired);
    DeploymentCondition availableCondition =
        availableCondition(before, minimumAvailable, state.now(), false);

    boolean complete =
        updated == desired && replicas == desired && available == desired && current != null;
    DeploymentCondition progressing;
    boolean counted =
        before != null
            && Objects.equals(before.getReplicas(), ClusterState.count(replicas))
            && Objects.equals(before.getUpdatedReplicas(), ClusterState.count(updated))
            && Objects.equals(before.getAvailableReplicas(), ClusterState.count(available))
            && Objects.equals(before.getReadyReplicas(), ClusterState.count(ready))
            && Objects.equals(before.getObservedGeneration(), d.getMetadata().getGeneration());
    if (complete) {
      progressing =
          progressingCondition(before, NEW_REPLICA_SET_AVAILABLE, rsName, state.now(), !counted);
    } else {
      DeploymentCondition was = find(before, "Progressing");
      int deadline =
          d.getSpec().getProgressDeadlineSeconds() == null
              ? 600
              : d.getSpec().getProgressDeadlineSeconds();
      boolean stalled =
          counted
              && was != null
              && was.getLastUpdateTime() != null
              && !NEW_REPLICA_SET_AVAILABLE.equals(was.getReason())
              && Instant.parse(was.getLastUpdateTime()).plusSeconds(deadline).isBefore(state.now());
      if (stalled
          || (was != null && PROGRESS_DEADLINE_EXCEEDED.equals(was.getReason()) && counted)) {
        progressing =
            progressingCondition(before, PROGRESS_DEADLINE_EXCEEDED, rsName, state.now(), false);
      } else {
        progressing =
            progressingCondition(before, "ReplicaSetUpdated", rsName, state.now(), !counted);
      }
    }
    DeploymentStatus status =
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(ClusterState.count(replicas))
            .withUpdatedReplicas(ClusterState.count(updated))
            .withReadyReplicas(ClusterState.count(ready))
            .withAvailableReplicas(ClusterState.count(available))
            .withUnavailableReplicas(ClusterState.count(unavailable))
            .withConditions(availableCondition, progressing)
            .build();
    if (!KubeJson.same(status, before)) {
      Deployment updatedDeployment = KubeJson.copy(d);
      updatedDeployment.setStatus(status);
      client.apps().deployments().resource(updatedDeployment).updateStatus();
    }
  }

  /** The Available condition: whether at most maxUnavailable replicas are unavailable. */
  public static DeploymentCondition availableCondition(
      DeploymentStatus before, boolean minimumAvailable, Instant now, boolean touched) {
    return condition(
        before,
        "Available",
        minimumAvailable ? "True" : "False",
        minimumAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        minimumAvailable
            ? "Deployment has minimum availability."
            : "Deployment does not have minimum availability.",
        now,
        touched);
  }

  /**
   * The Progressing condition for {@code reason}: {@value #NEW_REPLICA_SET_AVAILABLE}, {@value
   * #PROGRESS_DEADLINE_EXCEEDED} (status False) or ReplicaSetUpdated, about ReplicaSet {@code
   * rsName}.
   */
  public static DeploymentCondition progressingCondition(
      DeploymentStatus before, String reason, String rsName, Instant now, boolean touched) {
    String message =
        switch (reason) {
          case NEW_REPLICA_SET_AVAILABLE -> "has successfully progressed.";
          case PROGRESS_DEADLINE_EXCEEDED -> "has timed out progressing.";
          default -> "is progressing.";
        };
    return condition(
        before,
        "Progressing",
        reason.equals(PROGRESS_DEADLINE_EXCEEDED) ? "False" : "True",
        reason,
        "ReplicaSet \"" + rsName + "\" " + message,
        now,
        touched);
  }

  /**
   * A condition that keeps its times while it says the same: lastTransitionTime moves when the
   * status changes, lastUpdateTime when anything about it changes or {@code touched}.
   */
  private static DeploymentCondition condition(
      DeploymentStatus before,
      String type,
      String status,
      String reason,
      String message,
      Instant now,
      boolean touched) {
    DeploymentCondition was = find(before, type);
    String time = ClusterState.timestamp(now);
    String transition =
        was != null && status.equals(was.getStatus()) && was.getLastTransitionTime() != null
            ? was.getLastTransitionTime()
            : time;
    boolean same =
        was != null
            && status.equals(was.getStatus())
            && reason.equals(was.getReason())
            && message.equals(was.getMessage());
    String update =
        same && !touched && was.getLastUpdateTime() != null ? was.getLastUpdateTime() : time;
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastUpdateTime(update)
        .withLastTransitionTime(transition)
        .build();
  }

  private static DeploymentCondition find(DeploymentStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  /** The rolling update's maxUnavailable as a number of pods (0 for Recreate). */
  private static int maxUnavailable(Deployment d, int desired) {
    if (desired == 0
        || (d.getSpec().getStrategy() != null
            && "Recreate".equals(d.getSpec().getStrategy().getType()))) {
      return 0;
    }
    RollingUpdateDeployment rolling =
        d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    IntOrString unavailable =
        rolling == null || rolling.getMaxUnavailable() == null
            ? new IntOrString("25%")
            : rolling.getMaxUnavailable();
    IntOrString surge =
        rolling == null || rolling.getMaxSurge() == null
            ? new IntOrString("25%")
            : rolling.getMaxSurge();
    int u = resolve(unavailable, desired, false);
    int s = resolve(surge, desired, true);
    if (u == 0 && s == 0) {
      u = 1;
    }
    return Math.min(u, desired);
  }

  private static int resolve(IntOrString value, int total, boolean roundUp) {
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal() == null ? "0" : value.getStrVal().trim();
    if (!text.endsWith("%")) {
      return Integer.parseInt(text);
    }
    double share = Integer.parseInt(text.substring(0, text.length() - 1)) * total / 100.0;
    return (int) (roundUp ? Math.ceil(share) : Math.floor(share));
  }

  private static Map<String, String> annotations(ObjectMeta meta) {
    if (meta.getAnnotations() == null) {
      meta.setAnnotations(new LinkedHashMap<>());
    }
    return meta.getAnnotations();
  }

  private static int revision(ReplicaSet rs) {
    Map<String, String> annotations = rs.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(REVISION);
    try {
      return value == null ? 0 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int statusReplicas(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getReplicas() == null
        ? 0
        : rs.getStatus().getReplicas();
  }

  private static int ready(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
        ? 0
        : rs.getStatus().getReadyReplicas();
  }

  private static int available(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null
        ? 0
        : rs.getStatus().getAvailableReplicas();
  }
}
