package dev.grove.sandbox;

import dev.grove.sandbox.cluster.ClusterState;
import dev.grove.sandbox.cluster.EventRecorder;
import dev.grove.sandbox.cluster.Node;
import dev.grove.sandbox.cluster.Pods;
import dev.grove.sandbox.controller.ControllerRevisions;
import dev.grove.sandbox.controller.Controllers;
import dev.grove.sandbox.controller.DaemonSetController;
import dev.grove.sandbox.controller.DeploymentController;
import dev.grove.sandbox.controller.JobController;
import dev.grove.sandbox.controller.Names;
import dev.grove.sandbox.controller.ReplicaSetController;
import dev.grove.sandbox.controller.StatefulSetController;
import dev.grove.sandbox.kubelet.PodStatuses;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Plays the controllers of a real cluster against a {@link MockCluster}: the deployment,
 * statefulset, daemonset and job controllers' status, the ReplicaSets and Pods they create, the
 * scheduler's and kubelet's pod states and the events they record. Each method does one step at
 * once, through the API, so watches and informers see what they would see on a cluster. Status
 * writes go through the status subresource, as the controllers' do.
 *
 * <p>It is the sandbox's cluster played by hand, for tests that need a state at a given moment (a
 * rollout stalled, a pod in ImagePullBackOff): ReplicaSets, pods, revisions and their events are
 * made by the same controllers that {@link SimulatedKubelet} runs on its own ({@link Controllers}),
 * and pod statuses summed up as its kubelet does ({@link PodStatuses}). What it plays by hand is
 * which state a container is in; init containers are taken as done.
 */
public final class TestController {

  private final KubernetesClient client;
  private final Clock clock;
  private final Controllers controllers;
  private int nextPodIp = 1;

  public TestController(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.controllers = Controllers.create(client, clock, new Random(0));
  }

  // ---- workloads ----

  /**
   * The deployment controller's status once every replica of the current generation is available:
   * observedGeneration, all replica counts at {@code spec.replicas} (1 when unset), Available and
   * Progressing (NewReplicaSetAvailable) True.
   */
  public Deployment rollOutDeployment(String namespace, String name) {
    Instant now = clock.instant();
    return deployment(namespace, name)
        .editStatus(
            d -> {
              int replicas = ClusterState.replicas(d.getSpec().getReplicas());
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .withReadyReplicas(replicas)
                      .withAvailableReplicas(replicas)
                      .withConditions(
                          DeploymentController.availableCondition(null, true, now, true),
                          DeploymentController.progressingCondition(
                              null,
                              DeploymentController.NEW_REPLICA_SET_AVAILABLE,
                              DeploymentController.replicaSetName(d),
                              now,
                              true))
                      .build());
              return d;
            });
  }

  /**
   * The deployment controller's status when the rollout missed {@code progressDeadlineSeconds}:
   * Progressing False (ProgressDeadlineExceeded), no replica available.
   */
  public Deployment stallDeployment(String namespace, String name) {
    Instant now = clock.instant();
    return deployment(namespace, name)
        .editStatus(
            d -> {
              int replicas = ClusterState.replicas(d.getSpec().getReplicas());
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .withUnavailableReplicas(replicas)
                      .withConditions(
                          DeploymentController.availableCondition(null, false, now, true),
                          DeploymentController.progressingCondition(
                              null,
                              DeploymentController.PROGRESS_DEADLINE_EXCEEDED,
                              DeploymentController.replicaSetName(d),
                              now,
                              true))
                      .build());
              return d;
            });
  }

  /** The statefulset controller's status once every replica is ready and on the update revision. */
  public StatefulSet rollOutStatefulSet(String namespace, String name) {
    return statefulSet(namespace, name)
        .editStatus(
            s -> {
              int replicas = ClusterState.replicas(s.getSpec().getReplicas());
              String revision =
                  ControllerRevisions.name(s, Names.templateHash(s.getSpec().getTemplate()));
              s.setStatus(
                  new StatefulSetStatusBuilder()
                      .withObservedGeneration(s.getMetadata().getGeneration())
                      .withReplicas(replicas)
                      .withReadyReplicas(replicas)
                      .withCurrentReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .withAvailableReplicas(replicas)
                      .withCurrentRevision(revision)
                      .withUpdateRevision(revision)
                      .withCollisionCount(0)
                      .build());
              return s;
            });
  }

  /** The daemonset controller's status once its pod is ready and updated on {@code nodes} nodes. */
  public DaemonSet rollOutDaemonSet(String namespace, String name, int nodes) {
    return daemonSet(namespace, name)
        .editStatus(
            d -> {
              d.setStatus(
                  new DaemonSetStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withDesiredNumberScheduled(nodes)
                      .withCurrentNumberScheduled(nodes)
                      .withUpdatedNumberScheduled(nodes)
                      .withNumberReady(nodes)
                      .withNumberAvailable(nodes)
                      .withNumberMisscheduled(0)
                      .build());
              return d;
            });
  }

  /**
   * The job controller's status when a Job succeeded: {@code spec.completions} (1 when unset)
   * succeeded, conditions SuccessCriteriaMet and Complete True (Kubernetes 1.31 and later).
   */
  public Job completeJob(String namespace, String name) {
    Instant now = clock.instant();
    return job(namespace, name)
        .editStatus(
            j -> {
              j.setStatus(
                  new JobStatusBuilder()
                      .withStartTime(startTime(j, now))
                      .withCompletionTime(ClusterState.timestamp(now))
                      .withSucceeded(ClusterState.replicas(j.getSpec().getCompletions()))
                      .withReady(0)
                      .withConditions(
                          JobController.condition(
                              "SuccessCriteriaMet",
                              JobController.COMPLETIONS_REACHED,
                              JobController.REACHED,
                              now),
                          JobController.condition(
                              "Complete",
                              JobController.COMPLETIONS_REACHED,
                              JobController.REACHED,
                              now))
                      .build());
              return j;
            });
  }

  /**
   * The job controller's status when a Job failed: conditions FailureTarget and Failed True with
   * {@code reason} (BackoffLimitExceeded, DeadlineExceeded, ...) and {@code message} ("Job has
   * reached the specified backoff limit").
   */
  public Job failJob(String namespace, String name, String reason, String message) {
    Instant now = clock.instant();
    return job(namespace, name)
        .editStatus(
            j -> {
              Integer backoffLimit = j.getSpec().getBackoffLimit();
              j.setStatus(
                  new JobStatusBuilder()
                      .withStartTime(startTime(j, now))
                      .withFailed((backoffLimit == null ? 6 : backoffLimit) + 1)
                      .withReady(0)
                      .withConditions(
                          JobController.condition("FailureTarget", reason, message, now),
                          JobController.condition("Failed", reason, message, now))
                      .build());
              return j;
            });
  }

  // ---- pods ----

  /**
   * A Pod of a Deployment as the deployment and replicaset controllers make it: the ReplicaSet of
   * the Deployment's template ({@link DeploymentController#createReplicaSet}, on first use: the
   * next {@code deployment.kubernetes.io/revision}, which the Deployment gets too) and one more pod
   * of it ({@link ReplicaSetController#createPod}); its status is Pending, containers
   * ContainerCreating. The Deployment's status then observes its generation ({@link
   * #observeDeployment}).
   */
  public Pod createPod(String namespace, String deployment) {
    ClusterState state = read();
    Deployment d = deployment(namespace, deployment).require();
    List<ReplicaSet> owned = ClusterState.ownedBy(state.replicaSets(), d);
    ReplicaSet replicaSet = DeploymentController.currentReplicaSet(d, owned);
    if (replicaSet == null) {
      replicaSet = controllers.deployments().createReplicaSet(d, owned);
      controllers.deployments().recordRevision(d, replicaSet);
    }
    Pod pod = created(controllers.replicaSets().createPod(state, replicaSet));
    observeDeployment(namespace, deployment);
    return pod;
  }

  /**
   * The deployment controller's status as its pods are: {@code observedGeneration} at {@code
   * metadata.generation}, {@code replicas} the pods of all its ReplicaSets, {@code updatedReplicas}
   * those of the ReplicaSet whose template is the Deployment's, {@code readyReplicas} and {@code
   * availableReplicas} the Ready ones; conditions as they were.
   */
  public Deployment observeDeployment(String namespace, String name) {
    ClusterState state = read();
    Deployment d = deployment(namespace, name).require();
    String current = DeploymentController.replicaSetName(d);
    int replicas = 0;
    int updated = 0;
    int ready = 0;
    for (ReplicaSet rs : ClusterState.ownedBy(state.replicaSets(), d)) {
      for (Pod pod : ClusterState.ownedBy(state.pods(), rs)) {
        replicas++;
        updated += rs.getMetadata().getName().equals(current) ? 1 : 0;
        ready += Pods.ready(pod) ? 1 : 0;
      }
    }
    int[] counts = {replicas, updated, ready};
    return deployment(namespace, name)
        .editStatus(
            live -> {
              live.setStatus(
                  new DeploymentStatusBuilder(
                          live.getStatus() == null ? new DeploymentStatus() : live.getStatus())
                      .withObservedGeneration(live.getMetadata().getGeneration())
                      .withReplicas(counts[0])
                      .withUpdatedReplicas(counts[1])
                      .withReadyReplicas(counts[2])
                      .withAvailableReplicas(counts[2])
                      .build());
              return live;
            });
  }

  /**
   * A Pod of a StatefulSet as the statefulset controller makes it ({@link
   * StatefulSetController#create}): {@code <name>-<ordinal>}, labelled {@code
   * controller-revision-hash} with the update revision ({@code <name>-<template hash>}); the
   * StatefulSet's status observes its generation and that revision first ({@link
   * #observeStatefulSet}).
   */
  public Pod createStatefulSetPod(String namespace, String name, int ordinal) {
    observeStatefulSet(namespace, name);
    ClusterState state = read();
    StatefulSet s = statefulSet(namespace, name).require();
    StatefulSetController controller = controllers.statefulSets();
    Pod pod = created(controller.create(state, s, ordinal, controller.updateRevision(state, s)));
    observeStatefulSet(namespace, name);
    return pod;
  }

  /**
   * The statefulset controller's status as its pods are: {@code observedGeneration}, {@code
   * updateRevision} {@code <name>-<template hash>}, {@code currentRevision} kept (the update
   * revision when there was none), {@code replicas}, {@code updatedReplicas} (pods of the update
   * revision), {@code readyReplicas}.
   */
  public StatefulSet observeStatefulSet(String namespace, String name) {
    ClusterState state = read();
    StatefulSet set = statefulSet(namespace, name).require();
    String revision = controllers.statefulSets().updateRevision(state, set);
    List<Pod> pods = ClusterState.ownedBy(state.pods(), set);
    int updated = ofRevision(pods, revision);
    int ready = (int) pods.stream().filter(Pods::ready).count();
    return statefulSet(namespace, name)
        .editStatus(
            s -> {
              StatefulSetStatus was =
                  s.getStatus() == null ? new StatefulSetStatus() : s.getStatus();
              s.setStatus(
                  new StatefulSetStatusBuilder(was)
                      .withObservedGeneration(s.getMetadata().getGeneration())
                      .withUpdateRevision(revision)
                      .withCurrentRevision(
                          was.getCurrentRevision() == null ? revision : was.getCurrentRevision())
                      .withReplicas(pods.size())
                      .withUpdatedReplicas(updated)
                      .withReadyReplicas(ready)
                      .withAvailableReplicas(ready)
                      .build());
              return s;
            });
  }

  /**
   * A Pod of a DaemonSet as the daemonset controller makes it ({@link
   * DaemonSetController#createPod}): {@code <name>-<suffix>}, labelled {@code
   * controller-revision-hash} with the hash of the template's ControllerRevision (made first, see
   * {@link #observeDaemonSet}).
   */
  public Pod createDaemonSetPod(String namespace, String name) {
    observeDaemonSet(namespace, name);
    ClusterState state = read();
    DaemonSet ds = daemonSet(namespace, name).require();
    DaemonSetController controller = controllers.daemonSets();
    Pod pod = created(controller.createPod(state, ds, controller.revision(state, ds)));
    observeDaemonSet(namespace, name);
    return pod;
  }

  /**
   * The daemonset controller's first step on a new generation: a ControllerRevision {@code
   * <name>-<template hash>} labelled {@code controller-revision-hash: <template hash>} with the
   * next {@code revision} (an existing one for the template gets the next revision, as on a
   * rollback), then its status as its pods are on this one-node cluster: {@code
   * observedGeneration}, one pod desired, {@code updatedNumberScheduled} the pods of that revision,
   * {@code numberAvailable} the Ready ones.
   */
  public DaemonSet observeDaemonSet(String namespace, String name) {
    ClusterState state = read();
    DaemonSet ds = daemonSet(namespace, name).require();
    String hash = controllers.daemonSets().revision(state, ds);
    List<Pod> pods = ClusterState.ownedBy(state.pods(), ds);
    int updated = ofRevision(pods, hash);
    int ready = (int) pods.stream().filter(Pods::ready).count();
    return daemonSet(namespace, name)
        .editStatus(
            d -> {
              d.setStatus(
                  new DaemonSetStatusBuilder(
                          d.getStatus() == null ? new DaemonSetStatus() : d.getStatus())
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withDesiredNumberScheduled(1)
                      .withCurrentNumberScheduled(pods.size())
                      .withUpdatedNumberScheduled(updated)
                      .withNumberReady(ready)
                      .withNumberAvailable(ready)
                      .build());
              return d;
            });
  }

  /** The kubelet's status once every container runs and is ready: phase Running, Ready True. */
  public Pod setRunning(String namespace, String pod) {
    Instant now = clock.instant();
    return setContainers(
        namespace,
        pod,
        (p, c) ->
            PodStatuses.containerStatus(
                c.getName(),
                c.getImage(),
                c.getImage() + "@sha256:" + "0".repeat(64),
                null,
                PodStatuses.running(now),
                true,
                true,
                restarts(p, c.getName())));
  }

  /**
   * The kubelet's status once every container of a pod that does not restart has exited with {@code
   * exitCode}: phase Succeeded (0) or Failed.
   */
  public Pod setTerminated(String namespace, String pod, int exitCode) {
    Instant now = clock.instant();
    setContainers(
        namespace,
        pod,
        (p, c) ->
            PodStatuses.containerStatus(
                c.getName(),
                c.getImage(),
                c.getImage() + "@sha256:" + "0".repeat(64),
                null,
                PodStatuses.terminated(
                    exitCode, exitCode == 0 ? "Completed" : "Error", now, now, null),
                false,
                false,
                0));
    return pod(namespace, pod)
        .editStatus(
            p -> {
              p.getStatus().setPhase(exitCode == 0 ? "Succeeded" : "Failed");
              return p;
            });
  }

  /**
   * The kubelet's status and event when {@code container} cannot start: its state waiting with
   * {@code reason} (ErrImagePull, ImagePullBackOff, CrashLoopBackOff, CreateContainerConfigError,
   * InvalidImageName, ...) and {@code message}, the pod not Ready. The Warning event on the pod has
   * the kubelet's reason for that state: BackOff for the back-offs, InspectFailed for
   * InvalidImageName, Failed for the rest; its message is {@code message}. A crash loop also counts
   * a restart, with the crash as the container's last state, and keeps the pod Running, as the
   * kubelet does.
   */
  public Pod setWaiting(
      String namespace, String pod, String container, String reason, String message) {
    Instant now = clock.instant();
    boolean crashLoop = reason.equals("CrashLoopBackOff");
    Pod updated =
        setContainers(
            namespace,
            pod,
            (p, c) -> {
              ContainerStatus current = Pods.containerStatus(p, c.getName());
              if (!c.getName().equals(container)) {
                return current != null ? current : creating(c);
              }
              ContainerStatus s =
                  PodStatuses.containerStatus(
                      c.getName(),
                      c.getImage(),
                      "",
                      null,
                      PodStatuses.waiting(reason, message),
                      false,
                      false,
                      restarts(p, c.getName()) + (crashLoop ? 1 : 0));
              if (crashLoop) {
                s.setLastState(PodStatuses.terminated(1, "Error", null, now, null));
              }
              return s;
            });
    String eventReason =
        reason.endsWith("BackOff")
            ? "BackOff"
            : reason.equals("InvalidImageName") ? "InspectFailed" : "Failed";
    controllers
        .events()
        .record(
            updated,
            "spec.containers{" + container + "}",
            EventRecorder.WARNING,
            eventReason,
            message,
            "kubelet");
    return updated;
  }

  /**
   * The scheduler's status and event when no node fits the pod: phase Pending, PodScheduled False
   * (Unschedulable) with {@code message} ("0/3 nodes are available: 3 Insufficient cpu."), and a
   * FailedScheduling Warning event.
   */
  public Pod setUnschedulable(String namespace, String pod, String message) {
    Instant now = clock.instant();
    Pod updated =
        pod(namespace, pod)
            .editStatus(
                p -> {
                  p.setStatus(
                      new PodStatusBuilder()
                          .withPhase("Pending")
                          .withConditions(
                              PodStatuses.condition(
                                  p.getStatus(),
                                  "PodScheduled",
                                  "False",
                                  "Unschedulable",
                                  message,
                                  now))
                          .withQosClass(PodStatuses.qosClass(p))
                          .build());
                  return p;
                });
    controllers
        .events()
        .record(
            updated, null, EventRecorder.WARNING, "FailedScheduling", message, "default-scheduler");
    return updated;
  }

  // ---- helpers ----

  private ClusterState read() {
    return ClusterState.read(client, clock.instant());
  }

  /** A pod just made: bound, its containers being created. */
  private Pod created(Pod pod) {
    return setContainers(
        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), (p, c) -> creating(c));
  }

  private interface ContainerStep {
    ContainerStatus status(Pod pod, io.fabric8.kubernetes.api.model.Container container);
  }

  /**
   * Writes the pod's status as the kubelet sums it up ({@link PodStatuses#of}) from each app
   * container's status as {@code step} gives it; the pod keeps its address and start time.
   */
  private Pod setContainers(String namespace, String name, ContainerStep step) {
    Instant now = clock.instant();
    return pod(namespace, name)
        .editStatus(
            p -> {
              List<ContainerStatus> app = new ArrayList<>();
              p.getSpec().getContainers().forEach(c -> app.add(step.status(p, c)));
              PodStatus was = p.getStatus();
              boolean started = was != null && was.getStartTime() != null;
              p.setStatus(
                  PodStatuses.of(
                      p,
                      List.of(),
                      app,
                      started ? was.getPodIP() : Node.podIp(nextPodIp++),
                      started ? Instant.parse(was.getStartTime()) : now,
                      now));
              return p;
            });
  }

  private static ContainerStatus creating(io.fabric8.kubernetes.api.model.Container c) {
    ContainerState creating = PodStatuses.waiting("ContainerCreating", null);
    return PodStatuses.containerStatus(
        c.getName(), c.getImage(), "", null, creating, false, false, 0);
  }

  private static int restarts(Pod p, String container) {
    ContainerStatus s = Pods.containerStatus(p, container);
    return s == null || s.getRestartCount() == null ? 0 : s.getRestartCount();
  }

  private static int ofRevision(List<Pod> pods, String revision) {
    return (int)
        pods.stream()
            .filter(
                p ->
                    revision.equals(
                        p.getMetadata().getLabels().get(ControllerRevisions.HASH_LABEL)))
            .count();
  }

  private static String startTime(Job j, Instant now) {
    return j.getStatus() != null && j.getStatus().getStartTime() != null
        ? j.getStatus().getStartTime()
        : ClusterState.timestamp(now);
  }

  private Resource<Deployment> deployment(String namespace, String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name);
  }

  private Resource<StatefulSet> statefulSet(String namespace, String name) {
    return client.apps().statefulSets().inNamespace(namespace).withName(name);
  }

  private Resource<DaemonSet> daemonSet(String namespace, String name) {
    return client.apps().daemonSets().inNamespace(namespace).withName(name);
  }

  private Resource<Job> job(String namespace, String name) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(name);
  }

  private Resource<Pod> pod(String namespace, String name) {
    return client.pods().inNamespace(namespace).withName(name);
  }
}
