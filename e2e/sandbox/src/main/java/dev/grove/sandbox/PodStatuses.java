package dev.grove.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A pod's status as the kubelet reports it, from a {@link PodRuntime}. */
final class PodStatuses {

  private PodStatuses() {}

  /**
   * The pod's status from what its containers do: phase, the five conditions (keeping their
   * lastTransitionTime while they say the same), container statuses, addresses and QoS class.
   */
  static PodStatus of(Pod pod, PodRuntime rt, boolean initialized, Instant now) {
    PodStatus before = pod.getStatus();
    List<ContainerStatus> initStatuses = new ArrayList<>();
    boolean initWaitingSeen = false;
    for (PodRuntime.Container c : rt.init) {
      initStatuses.add(containerStatus(c, initWaitingSeen));
      initWaitingSeen |= c.phase != PodRuntime.Phase.TERMINATED;
    }
    List<ContainerStatus> appStatuses = new ArrayList<>();
    for (PodRuntime.Container c : rt.app) {
      appStatuses.add(containerStatus(c, !initialized));
    }
    boolean succeeded = rt.app.stream().allMatch(c -> c.phase == PodRuntime.Phase.TERMINATED);
    boolean running =
        initialized && rt.app.stream().allMatch(c -> c.phase == PodRuntime.Phase.RUNNING);
    boolean anyRunning =
        initialized && rt.app.stream().anyMatch(c -> c.phase == PodRuntime.Phase.RUNNING);
    boolean waiting =
        !initialized
            || rt.app.stream()
                .anyMatch(
                    c ->
                        c.phase != PodRuntime.Phase.RUNNING
                            && c.phase != PodRuntime.Phase.TERMINATED);
    String phase = succeeded ? "Succeeded" : waiting || !anyRunning ? "Pending" : "Running";
    List<String> unready =
        rt.app.stream().filter(c -> c.phase != PodRuntime.Phase.RUNNING).map(c -> c.name).toList();
    List<String> uninitialized =
        rt.init.stream()
            .filter(c -> c.phase != PodRuntime.Phase.TERMINATED)
            .map(c -> c.name)
            .toList();
    String readyReason = succeeded ? "PodCompleted" : "ContainersNotReady";
    String readyMessage =
        succeeded ? null : "containers with unready status: [" + String.join(" ", unready) + "]";
    List<PodCondition> conditions =
        List.of(
            condition(before, "PodReadyToStartContainers", "True", null, null, now),
            condition(
                before,
                "Initialized",
                uninitialized.isEmpty() ? "True" : "False",
                uninitialized.isEmpty() ? null : "ContainersNotInitialized",
                uninitialized.isEmpty()
                    ? null
                    : "containers with incomplete status: ["
                        + String.join(" ", uninitialized)
                        + "]",
                now),
            condition(
                before,
                "Ready",
                running ? "True" : "False",
                running ? null : readyReason,
                running ? null : readyMessage,
                now),
            condition(
                before,
                "ContainersReady",
                running ? "True" : "False",
                running ? null : readyReason,
                running ? null : readyMessage,
                now),
            condition(before, "PodScheduled", "True", null, null, now));
    return new PodStatusBuilder()
        .withPhase(phase)
        .withConditions(conditions)
        .withHostIP(Kubelet.NODE_IP)
        .addNewHostIP(Kubelet.NODE_IP)
        .withPodIP(rt.podIp)
        .addNewPodIP(rt.podIp)
        .withStartTime(ClusterState.timestamp(rt.startTime))
        .withInitContainerStatuses(initStatuses)
        .withContainerStatuses(appStatuses)
        .withQosClass(qosClass(pod))
        .build();
  }

  private static ContainerStatus containerStatus(PodRuntime.Container c, boolean podInitializing) {
    ContainerState state;
    switch (c.phase) {
      case RUNNING ->
          state =
              new ContainerStateBuilder()
                  .withNewRunning()
                  .withStartedAt(ClusterState.timestamp(c.startedAt))
                  .endRunning()
                  .build();
      case TERMINATED ->
          state =
              new ContainerStateBuilder()
                  .withNewTerminated()
                  .withExitCode(0)
                  .withReason("Completed")
                  .withStartedAt(ClusterState.timestamp(c.startedAt))
                  .withFinishedAt(ClusterState.timestamp(c.finishedAt))
                  .withContainerID(c.containerId)
                  .endTerminated()
                  .build();
      case ERR_IMAGE_PULL -> state = waiting("ErrImagePull", c.message);
      case BACK_OFF ->
          state =
              waiting(
                  "ImagePullBackOff",
                  "Back-off pulling image \"" + c.image + "\": ErrImagePull: " + c.message);
      case INVALID -> state = waiting("InvalidImageName", c.message);
      default -> state = waiting(podInitializing ? "PodInitializing" : "ContainerCreating", null);
    }
    boolean started = c.phase == PodRuntime.Phase.RUNNING;
    return new ContainerStatusBuilder()
        .withName(c.name)
        .withImage(c.runtimeImage)
        .withImageID(c.imageId)
        .withContainerID(c.containerId)
        .withReady(
            c.phase == PodRuntime.Phase.RUNNING
                || (c.init && c.phase == PodRuntime.Phase.TERMINATED))
        .withStarted(c.init ? null : started)
        .withRestartCount(0)
        .withState(state)
        .build();
  }

  static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .build();
  }

  /** A condition that keeps its lastTransitionTime while its status stays. */
  private static PodCondition condition(
      PodStatus before, String type, String status, String reason, String message, Instant now) {
    String transition = ClusterState.timestamp(now);
    if (before != null) {
      for (PodCondition c : before.getConditions()) {
        if (type.equals(c.getType())
            && status.equals(c.getStatus())
            && c.getLastTransitionTime() != null) {
          transition = c.getLastTransitionTime();
        }
      }
    }
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(transition)
        .build();
  }

  /** BestEffort without requests or limits; Guaranteed when limits equal requests everywhere. */
  private static String qosClass(Pod pod) {
    List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      containers.addAll(pod.getSpec().getInitContainers());
    }
    boolean any = false;
    boolean guaranteed = true;
    for (Container c : containers) {
      ResourceRequirements r = c.getResources();
      Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
      Map<String, Quantity> requests =
          r == null || r.getRequests() == null ? Map.of() : r.getRequests();
      any |= !limits.isEmpty() || !requests.isEmpty();
      for (String resource : List.of("cpu", "memory")) {
        Quantity limit = limits.get(resource);
        Quantity request = requests.getOrDefault(resource, limit);
        guaranteed &= limit != null && limit.equals(request);
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }
}
