package dev.grove.sandbox.kubelet;

import dev.grove.sandbox.cluster.ClusterState;
import dev.grove.sandbox.cluster.Node;
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
public final class PodStatuses {

  private PodStatuses() {}

  /**
   * The pod's status from what its containers do: phase, the five conditions (keeping their
   * lastTransitionTime while they say the same), container statuses, addresses and QoS class.
   */
  static PodStatus of(Pod pod, PodRuntime rt, boolean initialized, Instant now) {
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
    return of(pod, initStatuses, appStatuses, rt.podIp, rt.startTime, now);
  }

  /**
   * The pod's status as the kubelet sums up its containers' statuses: the phase (Succeeded when
   * every app container exited, Pending while one waits for its first start or an init container
   * has not finished, Running otherwise: a container waiting to restart after it ran counts as
   * running, as in a crash loop), the five conditions (keeping their lastTransitionTime while they
   * say the same), the node's and the pod's addresses and the QoS class.
   */
  public static PodStatus of(
      Pod pod,
      List<ContainerStatus> init,
      List<ContainerStatus> app,
      String podIp,
      Instant startTime,
      Instant now) {
    PodStatus before = pod.getStatus();
    List<String> uninitialized =
        init.stream()
            .filter(c -> c.getState().getTerminated() == null)
            .map(c -> c.getName())
            .toList();
    boolean initialized = uninitialized.isEmpty();
    boolean succeeded = app.stream().allMatch(c -> c.getState().getTerminated() != null);
    boolean waiting =
        !initialized
            || app.stream().anyMatch(c -> c.getState().getWaiting() != null && !restarting(c));
    boolean anyRunning =
        initialized
            && app.stream().anyMatch(c -> c.getState().getRunning() != null || restarting(c));
    String phase = succeeded ? "Succeeded" : waiting || !anyRunning ? "Pending" : "Running";
    List<String> unready =
        app.stream().filter(c -> !Boolean.TRUE.equals(c.getReady())).map(c -> c.getName()).toList();
    boolean ready = initialized && unready.isEmpty();
    String readyReason = succeeded ? "PodCompleted" : "ContainersNotReady";
    String readyMessage = succeeded ? null : notReadyMessage(unready);
    List<PodCondition> conditions =
        List.of(
            condition(before, "PodReadyToStartContainers", "True", null, null, now),
            condition(
                before,
                "Initialized",
                initialized ? "True" : "False",
                initialized ? null : "ContainersNotInitialized",
                initialized
                    ? null
                    : "containers with incomplete status: ["
                        + String.join(" ", uninitialized)
                        + "]",
                now),
            condition(
                before,
                "Ready",
                ready ? "True" : "False",
                ready ? null : readyReason,
                ready ? null : readyMessage,
                now),
            condition(
                before,
                "ContainersReady",
                ready ? "True" : "False",
                ready ? null : readyReason,
                ready ? null : readyMessage,
                now),
            condition(before, "PodScheduled", "True", null, null, now));
    return new PodStatusBuilder()
        .withPhase(phase)
        .withConditions(conditions)
        .withHostIP(Node.IP)
        .addNewHostIP(Node.IP)
        .withPodIP(podIp)
        .addNewPodIP(podIp)
        .withStartTime(ClusterState.timestamp(startTime))
        .withInitContainerStatuses(init)
        .withContainerStatuses(app)
        .withQosClass(qosClass(pod))
        .build();
  }

  /** Waiting after it ran (restartPolicy Always): the kubelet counts it with the running ones. */
  private static boolean restarting(ContainerStatus c) {
    return c.getLastState() != null && c.getLastState().getTerminated() != null;
  }

  /** The Ready condition's message for the containers that are not ready. */
  static String notReadyMessage(List<String> containers) {
    return "containers with unready status: [" + String.join(" ", containers) + "]";
  }

  private static ContainerStatus containerStatus(PodRuntime.Container c, boolean podInitializing) {
    ContainerState state =
        switch (c.phase) {
          case RUNNING -> running(c.startedAt);
          case TERMINATED -> terminated(0, "Completed", c.startedAt, c.finishedAt, c.containerId);
          case ERR_IMAGE_PULL -> waiting("ErrImagePull", c.message);
          case BACK_OFF ->
              waiting(
                  "ImagePullBackOff",
                  "Back-off pulling image \"" + c.image + "\": ErrImagePull: " + c.message);
          case INVALID -> waiting("InvalidImageName", c.message);
          default -> waiting(podInitializing ? "PodInitializing" : "ContainerCreating", null);
        };
    boolean ready =
        c.phase == PodRuntime.Phase.RUNNING || (c.init && c.phase == PodRuntime.Phase.TERMINATED);
    return containerStatus(
        c.name,
        c.runtimeImage,
        c.imageId,
        c.containerId,
        state,
        ready,
        c.init ? null : c.phase == PodRuntime.Phase.RUNNING,
        0);
  }

  /**
   * A container's status as the kubelet reports it.
   *
   * @param image the image as the runtime names it
   * @param imageId the pulled image's digest reference, empty before the pull
   * @param started null for init containers
   */
  public static ContainerStatus containerStatus(
      String name,
      String image,
      String imageId,
      String containerId,
      ContainerState state,
      boolean ready,
      Boolean started,
      int restarts) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withImage(image)
        .withImageID(imageId)
        .withContainerID(containerId)
        .withReady(ready)
        .withStarted(started)
        .withRestartCount(restarts)
        .withState(state)
        .build();
  }

  public static ContainerState running(Instant startedAt) {
    return new ContainerStateBuilder()
        .withNewRunning()
        .withStartedAt(ClusterState.timestamp(startedAt))
        .endRunning()
        .build();
  }

  public static ContainerState terminated(
      int exitCode, String reason, Instant startedAt, Instant finishedAt, String containerId) {
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(reason)
        .withStartedAt(startedAt == null ? null : ClusterState.timestamp(startedAt))
        .withFinishedAt(ClusterState.timestamp(finishedAt))
        .withContainerID(containerId)
        .endTerminated()
        .build();
  }

  public static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .build();
  }

  /** A condition that keeps its lastTransitionTime while its status stays. */
  public static PodCondition condition(
      PodStatus before, String type, String status, String reason, String message, Instant now) {
    String transition = ClusterState.timestamp(now);
    if (before != null && before.getConditions() != null) {
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
  public static String qosClass(Pod pod) {
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
