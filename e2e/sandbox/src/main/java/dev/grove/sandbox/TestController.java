package dev.grove.sandbox;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Plays the controllers of a real cluster against a {@link MockCluster}: the deployment,
 * statefulset, daemonset and job controllers' status, the ReplicaSets and Pods they create, the
 * scheduler's and kubelet's pod states and the events they record. Each method does one step at
 * once, through the API, so watches and informers see what they would see on a cluster. Status
 * writes go through the status subresource, as the controllers' do.
 *
 * <p>It is the sandbox's cluster played by hand, for tests that need a state at a given moment (a
 * rollout stalled, a pod in ImagePullBackOff): template hashes and name suffixes ({@link Names}),
 * owner references ({@link ClusterState}) and events ({@link EventRecorder}) are those of the
 * controllers that {@link SimulatedKubelet} runs on its own.
 */
public final class TestController {

  private static final String REVISION = DeploymentController.REVISION;
  private static final String REVISION_HASH = ControllerRevisions.HASH_LABEL;

  private final KubernetesClient client;
  private final Clock clock;
  private final Random random = new Random(0);
  private final Names names = new Names(random);
  private final EventRecorder events;
  private final ControllerRevisions revisions;

  public TestController(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.events = new EventRecorder(client, clock);
    this.revisions = new ControllerRevisions(client);
  }

  // ---- workloads ----

  /**
   * The deployment controller's status once every replica of the current generation is available:
   * observedGeneration, all replica counts at {@code spec.replicas} (1 when unset), Available and
   * Progressing (NewReplicaSetAvailable) True.
   */
  public Deployment rollOutDeployment(String namespace, String name) {
    return deployment(namespace, name)
        .editStatus(
            d -> {
              int replicas = replicas(d.getSpec().getReplicas());
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .withReadyReplicas(replicas)
                      .withAvailableReplicas(replicas)
                      .withConditions(
                          deploymentCondition(
                              "Available",
                              "True",
                              "MinimumReplicasAvailable",
                              "Deployment has minimum availability."),
                          deploymentCondition(
                              "Progressing",
                              "True",
                              "NewReplicaSetAvailable",
                              "ReplicaSet \""
                                  + replicaSetName(d)
                                  + "\" has successfully progressed."))
                      .build());
              return d;
            });
  }

  /**
   * The deployment controller's status when the rollout missed {@code progressDeadlineSeconds}:
   * Progressing False (ProgressDeadlineExceeded), no replica available.
   */
  public Deployment stallDeployment(String namespace, String name) {
    return deployment(namespace, name)
        .editStatus(
            d -> {
              int replicas = replicas(d.getSpec().getReplicas());
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .withUnavailableReplicas(replicas)
                      .withConditions(
                          deploymentCondition(
                              "Available",
                              "False",
                              "MinimumReplicasUnavailable",
                              "Deployment does not have minimum availability."),
                          deploymentCondition(
                              "Progressing",
                              "False",
                              "ProgressDeadlineExceeded",
                              "ReplicaSet \""
                                  + replicaSetName(d)
                                  + "\" has timed out progressing."))
                      .build());
              return d;
            });
  }

  /** The statefulset controller's status once every replica is ready and on the update revision. */
  public StatefulSet rollOutStatefulSet(String namespace, String name) {
    return client
        .apps()
        .statefulSets()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            s -> {
              int replicas = replicas(s.getSpec().getReplicas());
              String revision = name + "-" + Names.templateHash(s.getSpec().getTemplate());
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
    return client
        .apps()
        .daemonSets()
        .inNamespace(namespace)
        .withName(name)
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
    String now = now();
    return job(namespace, name)
        .editStatus(
            j -> {
              j.setStatus(
                  new JobStatusBuilder()
                      .withStartTime(startTime(j))
                      .withCompletionTime(now)
                      .withSucceeded(replicas(j.getSpec().getCompletions()))
                      .withReady(0)
                      .withConditions(
                          jobCondition("SuccessCriteriaMet", "CompletionsReached", "Reached"),
                          jobCondition("Complete", "CompletionsReached", "Reached"))
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
    return job(namespace, name)
        .editStatus(
            j -> {
              Integer backoffLimit = j.getSpec().getBackoffLimit();
              j.setStatus(
                  new JobStatusBuilder()
                      .withStartTime(startTime(j))
                      .withFailed((backoffLimit == null ? 6 : backoffLimit) + 1)
                      .withReady(0)
                      .withConditions(
                          jobCondition("FailureTarget", reason, message),
                          jobCondition("Failed", reason, message))
                      .build());
              return j;
            });
  }

  // ---- pods ----

  /**
   * A Pod of a Deployment as the deployment and replicaset controllers make it: a ReplicaSet {@code
   * <deployment>-<template hash>} owned by the Deployment (created on first use), and a Pod {@code
   * <replicaset>-<suffix>} owned by it, with the template's labels plus {@code pod-template-hash}
   * and the template's spec; its status is Pending, containers ContainerCreating. A new ReplicaSet
   * gets the next {@code deployment.kubernetes.io/revision} (one more than the Deployment's other
   * ReplicaSets'), the Deployment that revision, and its status the generation it was made for
   * ({@code observedGeneration}), as the deployment controller writes them in the sync that makes
   * the ReplicaSet.
   */
  public Pod createPod(String namespace, String deployment) {
    Deployment d = deployment(namespace, deployment).require();
    String hash = Names.templateHash(d.getSpec().getTemplate());
    String name = deployment + "-" + hash;
    PodTemplateSpec template =
        new PodTemplateSpecBuilder(d.getSpec().getTemplate())
            .editOrNewMetadata()
            .addToLabels(DeploymentController.TEMPLATE_HASH, hash)
            .endMetadata()
            .build();
    ReplicaSet replicaSet = client.apps().replicaSets().inNamespace(namespace).withName(name).get();
    if (replicaSet == null) {
      String revision = String.valueOf(nextRevision(namespace, d));
      replicaSet =
          client
              .resource(
                  new ReplicaSetBuilder()
                      .withNewMetadata()
                      .withName(name)
                      .withNamespace(namespace)
                      .withLabels(template.getMetadata().getLabels())
                      .addToAnnotations(REVISION, revision)
                      .withOwnerReferences(ClusterState.controllerReference(d))
                      .endMetadata()
                      .withNewSpec()
                      .withReplicas(replicas(d.getSpec().getReplicas()))
                      .withNewSelector()
                      .withMatchLabels(
                          merged(matchLabels(d), Map.of(DeploymentController.TEMPLATE_HASH, hash)))
                      .endSelector()
                      .withTemplate(template)
                      .endSpec()
                      .build())
              .create();
      deployment(namespace, deployment)
          .edit(
              live -> {
                Map<String, String> annotations =
                    live.getMetadata().getAnnotations() == null
                        ? new HashMap<>()
                        : new HashMap<>(live.getMetadata().getAnnotations());
                annotations.put(REVISION, revision);
                live.getMetadata().setAnnotations(annotations);
                return live;
              });
    }
    Pod pod = createPod(namespace, replicaSet, template);
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
    Deployment d = deployment(namespace, name).require();
    String current = name + "-" + Names.templateHash(d.getSpec().getTemplate());
    int replicas = 0;
    int updated = 0;
    int ready = 0;
    for (ReplicaSet rs : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
      if (!ownedBy(rs, d)) {
        continue;
      }
      for (Pod pod : podsOf(namespace, rs)) {
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
   * A Pod of a StatefulSet as the statefulset controller makes it: {@code <name>-<ordinal>}, owned
   * by it, labelled {@code controller-revision-hash} with the update revision ({@code
   * <name>-<template hash>}) and {@code statefulset.kubernetes.io/pod-name}; the StatefulSet's
   * status observes its generation and that revision first ({@link #observeStatefulSet}).
   */
  public Pod createStatefulSetPod(String namespace, String name, int ordinal) {
    StatefulSet s = observeStatefulSet(namespace, name);
    String podName = name + "-" + ordinal;
    PodTemplateSpec template =
        new PodTemplateSpecBuilder(s.getSpec().getTemplate())
            .editOrNewMetadata()
            .addToLabels(REVISION_HASH, s.getStatus().getUpdateRevision())
            .addToLabels("statefulset.kubernetes.io/pod-name", podName)
            .endMetadata()
            .build();
    Pod pod = createPod(namespace, podName, s, template);
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
    StatefulSet set = client.apps().statefulSets().inNamespace(namespace).withName(name).require();
    String revision = name + "-" + Names.templateHash(set.getSpec().getTemplate());
    List<Pod> pods = podsOf(namespace, set);
    int updated =
        (int)
            pods.stream()
                .filter(p -> revision.equals(p.getMetadata().getLabels().get(REVISION_HASH)))
                .count();
    int ready = (int) pods.stream().filter(Pods::ready).count();
    return client
        .apps()
        .statefulSets()
        .inNamespace(namespace)
        .withName(name)
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
   * A Pod of a DaemonSet as the daemonset controller makes it: {@code <name>-<suffix>}, owned by
   * it, labelled {@code controller-revision-hash} with the hash of the template's
   * ControllerRevision (made first, see {@link #observeDaemonSet}).
   */
  public Pod createDaemonSetPod(String namespace, String name) {
    DaemonSet ds = observeDaemonSet(namespace, name);
    PodTemplateSpec template =
        new PodTemplateSpecBuilder(ds.getSpec().getTemplate())
            .editOrNewMetadata()
            .addToLabels(REVISION_HASH, Names.templateHash(ds.getSpec().getTemplate()))
            .addToLabels("pod-template-generation", "" + ds.getMetadata().getGeneration())
            .endMetadata()
            .build();
    Pod pod = createPod(namespace, name + "-" + names.suffix(), ds, template);
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
    DaemonSet ds = client.apps().daemonSets().inNamespace(namespace).withName(name).require();
    String hash = Names.templateHash(ds.getSpec().getTemplate());
    revisions.ensure(
        ClusterState.ownedBy(
            client.apps().controllerRevisions().inNamespace(namespace).list().getItems(), ds),
        ds,
        ds.getSpec().getTemplate(),
        hash);
    List<Pod> pods = podsOf(namespace, ds);
    int updated =
        (int)
            pods.stream()
                .filter(p -> hash.equals(p.getMetadata().getLabels().get(REVISION_HASH)))
                .count();
    int ready = (int) pods.stream().filter(Pods::ready).count();
    return client
        .apps()
        .daemonSets()
        .inNamespace(namespace)
        .withName(name)
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

  /**
   * A Pod as a workload controller makes it from {@code template}: named {@code <owner>-<suffix>},
   * owned (controller) by {@code owner}, with the template's labels, annotations and spec; its
   * status is Pending, containers ContainerCreating.
   */
  public Pod createPod(String namespace, HasMetadata owner, PodTemplateSpec template) {
    return createPod(
        namespace, owner.getMetadata().getName() + "-" + names.suffix(), owner, template);
  }

  private Pod createPod(
      String namespace, String name, HasMetadata owner, PodTemplateSpec template) {
    ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    Pod pod =
        client
            .pods()
            .inNamespace(namespace)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .withLabels(meta.getLabels())
                    .withAnnotations(meta.getAnnotations())
                    .withOwnerReferences(ClusterState.controllerReference(owner))
                    .endMetadata()
                    .withSpec(template.getSpec())
                    .build())
            .create();
    return pod(namespace, pod.getMetadata().getName())
        .editStatus(
            p -> {
              List<ContainerStatus> containers = new ArrayList<>();
              p.getSpec()
                  .getContainers()
                  .forEach(
                      c ->
                          containers.add(
                              containerStatus(
                                  c.getName(),
                                  c.getImage(),
                                  new ContainerStateBuilder()
                                      .withNewWaiting()
                                      .withReason("ContainerCreating")
                                      .endWaiting()
                                      .build(),
                                  false,
                                  0)));
              p.setStatus(
                  status(p)
                      .withPhase("Pending")
                      .withQosClass("BestEffort")
                      .withConditions(
                          podCondition("PodScheduled", "True", null, null),
                          podCondition(
                              "Ready", "False", "ContainersNotReady", notReady(containers)))
                      .withContainerStatuses(containers)
                      .build());
              return p;
            });
  }

  /** The kubelet's status once every container runs and is ready: phase Running, Ready True. */
  public Pod setRunning(String namespace, String pod) {
    String now = now();
    return pod(namespace, pod)
        .editStatus(
            p -> {
              List<ContainerStatus> containers = new ArrayList<>();
              p.getSpec()
                  .getContainers()
                  .forEach(
                      c ->
                          containers.add(
                              containerStatus(
                                  c.getName(),
                                  c.getImage(),
                                  new ContainerStateBuilder()
                                      .withNewRunning()
                                      .withStartedAt(now)
                                      .endRunning()
                                      .build(),
                                  true,
                                  restarts(p, c.getName()))));
              p.setStatus(
                  status(p)
                      .withPhase("Running")
                      .withHostIP("10.0.0.2")
                      .withPodIP("10.1.0." + (1 + random.nextInt(250)))
                      .withStartTime(now)
                      .withConditions(
                          podCondition("PodReadyToStartContainers", "True", null, null),
                          podCondition("Initialized", "True", null, null),
                          podCondition("Ready", "True", null, null),
                          podCondition("ContainersReady", "True", null, null),
                          podCondition("PodScheduled", "True", null, null))
                      .withContainerStatuses(containers)
                      .build());
              return p;
            });
  }

  /**
   * The kubelet's status and event when {@code container} cannot start: its state waiting with
   * {@code reason} (ErrImagePull, ImagePullBackOff, CrashLoopBackOff, CreateContainerConfigError,
   * InvalidImageName, ...) and {@code message}, the pod not Ready. The Warning event on the pod has
   * the kubelet's reason for that state: BackOff for the back-offs, InspectFailed for
   * InvalidImageName, Failed for the rest; its message is {@code message}. A crash loop also counts
   * a restart and keeps the pod Running, as the kubelet does.
   */
  public Pod setWaiting(
      String namespace, String pod, String container, String reason, String message) {
    boolean crashLoop = reason.equals("CrashLoopBackOff");
    Pod updated =
        pod(namespace, pod)
            .editStatus(
                p -> {
                  List<ContainerStatus> containers = new ArrayList<>();
                  for (var c : p.getSpec().getContainers()) {
                    ContainerStatus current = containerStatus(p, c.getName());
                    if (!c.getName().equals(container)) {
                      containers.add(
                          current != null
                              ? current
                              : containerStatus(
                                  c.getName(),
                                  c.getImage(),
                                  PodStatuses.waiting("ContainerCreating", null),
                                  false,
                                  0));
                      continue;
                    }
                    int restarts = restarts(p, c.getName()) + (crashLoop ? 1 : 0);
                    ContainerStatus s =
                        containerStatus(
                            c.getName(),
                            c.getImage(),
                            PodStatuses.waiting(reason, message),
                            false,
                            restarts);
                    if (crashLoop) {
                      s.setLastState(
                          new ContainerStateBuilder()
                              .withNewTerminated()
                              .withExitCode(1)
                              .withReason("Error")
                              .withFinishedAt(now())
                              .endTerminated()
                              .build());
                    }
                    containers.add(s);
                  }
                  String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
                  p.setStatus(
                      status(p)
                          .withPhase(crashLoop ? "Running" : phase == null ? "Pending" : phase)
                          .withConditions(
                              podCondition("PodScheduled", "True", null, null),
                              podCondition(
                                  "Ready", "False", "ContainersNotReady", notReady(containers)),
                              podCondition(
                                  "ContainersReady",
                                  "False",
                                  "ContainersNotReady",
                                  notReady(containers)))
                          .withContainerStatuses(containers)
                          .build());
                  return p;
                });
    String eventReason =
        reason.endsWith("BackOff")
            ? "BackOff"
            : reason.equals("InvalidImageName") ? "InspectFailed" : "Failed";
    events.record(
        updated, "spec.containers{" + container + "}", "Warning", eventReason, message, "kubelet");
    return updated;
  }

  /**
   * The scheduler's status and event when no node fits the pod: phase Pending, PodScheduled False
   * (Unschedulable) with {@code message} ("0/3 nodes are available: 3 Insufficient cpu."), and a
   * FailedScheduling Warning event.
   */
  public Pod setUnschedulable(String namespace, String pod, String message) {
    Pod updated =
        pod(namespace, pod)
            .editStatus(
                p -> {
                  p.setStatus(
                      status(p)
                          .withPhase("Pending")
                          .withConditions(
                              podCondition("PodScheduled", "False", "Unschedulable", message))
                          .withContainerStatuses()
                          .build());
                  return p;
                });
    events.record(
        updated, null, EventRecorder.WARNING, "FailedScheduling", message, "default-scheduler");
    return updated;
  }

  // ---- helpers ----

  private Resource<Deployment> deployment(String namespace, String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name);
  }

  private Resource<Job> job(String namespace, String name) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(name);
  }

  private Resource<Pod> pod(String namespace, String name) {
    return client.pods().inNamespace(namespace).withName(name);
  }

  private long nextRevision(String namespace, Deployment d) {
    long max = 0;
    for (ReplicaSet rs : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
      Map<String, String> annotations = rs.getMetadata().getAnnotations();
      if (ownedBy(rs, d) && annotations != null && annotations.get(REVISION) != null) {
        max = Math.max(max, Long.parseLong(annotations.get(REVISION)));
      }
    }
    return max + 1;
  }

  private static boolean ownedBy(HasMetadata object, HasMetadata owner) {
    return ClusterState.ownerUid(object).filter(owner.getMetadata().getUid()::equals).isPresent();
  }

  private List<Pod> podsOf(String namespace, HasMetadata owner) {
    return ClusterState.ownedBy(client.pods().inNamespace(namespace).list().getItems(), owner);
  }

  private static int replicas(Integer replicas) {
    return replicas == null ? 1 : replicas;
  }

  private static String replicaSetName(Deployment d) {
    return d.getMetadata().getName() + "-" + Names.templateHash(d.getSpec().getTemplate());
  }

  private static Map<String, String> matchLabels(Deployment d) {
    return d.getSpec().getSelector() == null || d.getSpec().getSelector().getMatchLabels() == null
        ? Map.of()
        : d.getSpec().getSelector().getMatchLabels();
  }

  private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new HashMap<>(a);
    m.putAll(b);
    return m;
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private DeploymentCondition deploymentCondition(
      String type, String status, String reason, String message) {
    String now = now();
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastUpdateTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  private JobCondition jobCondition(String type, String reason, String message) {
    String now = now();
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  private String startTime(Job j) {
    return j.getStatus() != null && j.getStatus().getStartTime() != null
        ? j.getStatus().getStartTime()
        : now();
  }

  private PodCondition podCondition(String type, String status, String reason, String message) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(now())
        .build();
  }

  private static PodStatusBuilder status(Pod p) {
    PodStatus current = p.getStatus();
    return current == null ? new PodStatusBuilder() : new PodStatusBuilder(current);
  }

  private static ContainerStatus containerStatus(
      String name, String image, ContainerState state, boolean ready, int restarts) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withImage(image)
        .withImageID(ready ? image + "@sha256:" + "0".repeat(64) : "")
        .withState(state)
        .withReady(ready)
        .withStarted(ready)
        .withRestartCount(restarts)
        .build();
  }

  private static ContainerStatus containerStatus(Pod p, String name) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
      return null;
    }
    return p.getStatus().getContainerStatuses().stream()
        .filter(s -> name.equals(s.getName()))
        .findFirst()
        .orElse(null);
  }

  private static int restarts(Pod p, String container) {
    ContainerStatus s = containerStatus(p, container);
    return s == null || s.getRestartCount() == null ? 0 : s.getRestartCount();
  }

  private static String notReady(List<ContainerStatus> containers) {
    return "containers with unready status: ["
        + String.join(
            " ",
            containers.stream()
                .filter(c -> !Boolean.TRUE.equals(c.getReady()))
                .map(ContainerStatus::getName)
                .toList())
        + "]";
  }
}
