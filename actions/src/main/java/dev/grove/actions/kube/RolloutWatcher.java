package dev.grove.actions.kube;

import static dev.grove.actions.spi.ActionCodes.ROLLOUT_FAILED;
import static dev.grove.actions.spi.ActionCodes.ROLLOUT_TIMEOUT;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import dev.grove.api.event.EventPayload.RolloutProgress;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Waits until an action's workloads have rolled out, and ends the wait at once when a pod cannot
 * start ({@code ErrImagePull}, {@code ImagePullBackOff}, {@code CrashLoopBackOff}, {@code
 * CreateContainerConfigError}, {@code InvalidImageName}, unschedulable) with the pod's own message
 * and the fix. Polls the API (about once a second): a handful of GETs per workload, no watch to
 * keep alive across an unreliable connection.
 *
 * <p>As {@code kubectl rollout status} and kstatus do, a workload is judged only once its
 * controller has observed its current generation ({@code status.observedGeneration}), and only on
 * the pods of that generation's template: pods of an older template that still fail while the new
 * ones roll out are not this rollout's failure.
 */
public final class RolloutWatcher {

  static final Set<String> FATAL_WAITING =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "CrashLoopBackOff",
          "CreateContainerConfigError",
          "InvalidImageName",
          "CreateContainerError");
  static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff");

  /** How often to look while a controller has not observed the change yet, and for how long. */
  private static final Duration OBSERVE_POLL = Duration.ofMillis(100);

  private static final Duration OBSERVE_WINDOW = Duration.ofSeconds(5);

  private static final String TEMPLATE_HASH = "pod-template-hash";
  private static final String REVISION_HASH = "controller-revision-hash";

  private final KubernetesClient client;
  private final KubeConfigResolver.Target target;
  private final Duration interval;

  public RolloutWatcher(
      KubernetesClient client, KubeConfigResolver.Target target, Duration interval) {
    this.client = client;
    this.target = target;
    this.interval = interval;
  }

  /**
   * Waits for the workloads among {@code ids} (Deployments, StatefulSets, DaemonSets, and Jobs when
   * {@code waitForJobs}).
   */
  public void await(
      List<KubeApplier.ObjectId> ids,
      boolean waitForJobs,
      Duration timeout,
      Cancellation cancellation,
      Consumer<RolloutProgress> progress)
      throws ActionException {
    List<KubeApplier.ObjectId> workloads = new ArrayList<>();
    for (KubeApplier.ObjectId id : ids) {
      switch (id.kind()) {
        case "Deployment", "StatefulSet", "DaemonSet" -> workloads.add(id);
        case "Job" -> {
          if (waitForJobs) {
            workloads.add(id);
          }
        }
        default -> {}
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<KubeApplier.ObjectId, RolloutProgress> last = new LinkedHashMap<>();
    long start = System.nanoTime();
    while (true) {
      boolean allDone = true;
      boolean unobserved = false;
      for (KubeApplier.ObjectId id : workloads) {
        Look look = look(id);
        RolloutProgress now = look.progress();
        unobserved |= !look.observed();
        if (!now.equals(last.get(id))) {
          last.put(id, now);
          progress.accept(now);
        }
        allDone &= now.done();
      }
      if (allDone) {
        return;
      }
      // the action's timeout cancels it as this deadline passes: either way it is a timeout
      boolean timedOut =
          System.nanoTime() > deadline || cancellation.reason() == Cancellation.Reason.TIMEOUT;
      if (cancellation.isCancelled() && !timedOut) {
        throw new ActionException(
            ActionCodes.CANCELLED, "Cancelled while waiting for the rollout.", "Run again.");
      }
      if (timedOut) {
        List<String> pending = new ArrayList<>();
        last.values().stream()
            .filter(p -> !p.done())
            .forEach(
                p ->
                    pending.add(
                        p.kind()
                            + "/"
                            + p.name()
                            + " "
                            + p.ready()
                            + "/"
                            + p.desired()
                            + " ready"
                            + (p.waiting().isEmpty()
                                ? ""
                                : " (" + String.join("; ", p.waiting()) + ")")));
        for (KubeApplier.ObjectId id : workloads) {
          if (!last.get(id).done()) {
            pending.addAll(notReady(lastPods.getOrDefault(id, List.of())));
          }
        }
        throw new ActionException(
            ROLLOUT_TIMEOUT,
            "The rollout did not finish within "
                + timeout.toSeconds()
                + " s: "
                + String.join(", ", pending)
                + ".",
            "Look at the pods (`kubectl describe pod`), or raise the action's `timeout`.");
      }
      // wait for the next look, or less: a cancel (Ctrl-C, the action's timeout) ends it at once
      try {
        cancellation.sleep(nextLook(unobserved, System.nanoTime() - start));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ActionException(
            ActionCodes.CANCELLED, "Cancelled while waiting for the rollout.", "Run again.");
      }
    }
  }

  /**
   * Milliseconds to the next look. A controller observes a change within milliseconds, so while one
   * has not, and for the first seconds only (a stopped controller must not make the wait a busy
   * poll), the next look is sooner than the interval: the rollout's judgement starts as soon as it
   * can, as a watch would start it.
   */
  private long nextLook(boolean unobserved, long elapsedNanos) {
    return unobserved && elapsedNanos < OBSERVE_WINDOW.toNanos()
        ? Math.min(interval.toMillis(), OBSERVE_POLL.toMillis())
        : interval.toMillis();
  }

  /**
   * One look, no waiting: whether every workload among {@code ids} has rolled out. A pod that
   * cannot start throws as in {@link #await}.
   */
  public boolean settled(List<KubeApplier.ObjectId> ids, boolean waitForJobs)
      throws ActionException {
    for (KubeApplier.ObjectId id : ids) {
      boolean workload =
          switch (id.kind()) {
            case "Deployment", "StatefulSet", "DaemonSet" -> true;
            case "Job" -> waitForJobs;
            default -> false;
          };
      if (workload && !look(id).progress().done()) {
        return false;
      }
    }
    return true;
  }

  /** Whether the kind is one whose rollout Grove waits for. */
  public static boolean isWorkload(String kind, boolean waitForJobs) {
    return switch (kind) {
      case "Deployment", "StatefulSet", "DaemonSet" -> true;
      case "Job" -> waitForJobs;
      default -> false;
    };
  }

  /** One look at one workload; a pod that cannot start throws as in {@link #await}. */
  public RolloutProgress progress(KubeApplier.ObjectId id) throws ActionException {
    return look(id).progress();
  }

  /**
   * One look at a workload; {@code observed} is false while its controller has not seen its current
   * generation.
   */
  private record Look(RolloutProgress progress, boolean observed) {}

  private Look look(KubeApplier.ObjectId id) throws ActionException {
    GenericKubernetesResource live;
    try {
      live =
          client
              .genericKubernetesResources(id.apiVersion(), id.kind())
              .inNamespace(id.namespace())
              .withName(id.name())
              .get();
    } catch (KubernetesClientException e) {
      throw KubeClients.failure(target, "read " + id, e);
    }
    if (live == null) {
      return new Look(
          new RolloutProgress(id.kind(), id.name(), 0, 0, 0, false, List.of("not created yet")),
          false);
    }
    Map<String, Object> spec = map(live.getAdditionalProperties().get("spec"));
    Map<String, Object> status = map(live.getAdditionalProperties().get("status"));
    long generation =
        live.getMetadata().getGeneration() == null ? 0 : live.getMetadata().getGeneration();
    long observed = number(status.get("observedGeneration"));
    int desired;
    int updated;
    int ready;
    boolean done;
    switch (id.kind()) {
      case "Deployment", "StatefulSet" -> {
        desired = spec.containsKey("replicas") ? (int) number(spec.get("replicas")) : 1;
        updated = (int) number(status.get("updatedReplicas"));
        ready =
            (int)
                number(
                    status.get(
                        id.kind().equals("Deployment") ? "availableReplicas" : "readyReplicas"));
        int total = (int) number(status.get("replicas"));
        done = observed >= generation && updated >= desired && ready >= desired && total <= desired;
      }
      case "DaemonSet" -> {
        desired = (int) number(status.get("desiredNumberScheduled"));
        updated = (int) number(status.get("updatedNumberScheduled"));
        ready = (int) number(status.get("numberAvailable"));
        done = observed >= generation && updated >= desired && ready >= desired;
      }
      default -> { // Job
        desired = spec.containsKey("completions") ? (int) number(spec.get("completions")) : 1;
        updated = (int) number(status.get("active"));
        ready = (int) number(status.get("succeeded"));
        done = false;
        for (Object condition : list(status.get("conditions"))) {
          Map<String, Object> c = map(condition);
          if ("True".equals(c.get("status")) && "Complete".equals(c.get("type"))) {
            done = true;
          }
          if ("True".equals(c.get("status")) && "Failed".equals(c.get("type"))) {
            throw new ActionException(
                ROLLOUT_FAILED,
                "Job " + id.name() + " failed: " + c.getOrDefault("message", c.get("reason")),
                "Look at its pods' logs (`grove logs`, `kubectl logs job/" + id.name() + "`).");
          }
        }
      }
    }
    if (!id.kind().equals("Job") && observed < generation) {
      // the controller has not acted on this change yet: its status and the pods it points at are
      // the previous generation's, whose failures are not this rollout's (kubectl rollout status
      // and kstatus wait for observedGeneration too)
      return new Look(
          new RolloutProgress(
              id.kind(),
              id.name(),
              desired,
              updated,
              ready,
              false,
              List.of(
                  "the "
                      + id.kind().toLowerCase(java.util.Locale.ROOT)
                      + " controller has not seen generation "
                      + generation
                      + " yet (observed "
                      + observed
                      + ")")),
          false);
    }
    List<String> waiting = done ? List.of() : podProblems(id, live, spec, status);
    if (!done && id.kind().equals("Deployment")) {
      failIfPastProgressDeadline(id, status);
    }
    return new Look(
        new RolloutProgress(id.kind(), id.name(), desired, updated, ready, done, waiting), true);
  }

  /**
   * A Deployment whose controller gave up on it ({@code Progressing=False},
   * ProgressDeadlineExceeded) fails, as {@code kubectl rollout status} does, rather than waiting
   * for the action's timeout; a pod that cannot start was reported first by {@link #podProblems}.
   */
  private static void failIfPastProgressDeadline(
      KubeApplier.ObjectId id, Map<String, Object> status) throws ActionException {
    for (Object condition : list(status.get("conditions"))) {
      Map<String, Object> c = map(condition);
      if ("Progressing".equals(c.get("type"))
          && "False".equals(c.get("status"))
          && "ProgressDeadlineExceeded".equals(c.get("reason"))) {
        throw new ActionException(
            ROLLOUT_FAILED,
            "Deployment "
                + id.name()
                + " exceeded its progress deadline: "
                + c.getOrDefault("message", "no new pod became available in time"),
            "Look at its pods (`grove logs`, `kubectl describe deployment "
                + id.name()
                + " -n "
                + id.namespace()
                + "`); a rollout that needs longer wants a bigger"
                + " spec.progressDeadlineSeconds (600 s by default).");
      }
    }
  }

  /**
   * Which of the workload's pods are this rollout's, once its controller has observed the current
   * generation: for a Deployment those of the ReplicaSet whose pod template is the Deployment's
   * (its {@code pod-template-hash} label aside, as the deployment controller finds its new
   * ReplicaSet), for a StatefulSet those labelled {@code controller-revision-hash} with its {@code
   * status.updateRevision}, for a DaemonSet those labelled with the hash of its newest
   * ControllerRevision, for a Job all it owns. Pods of an older template are going away (a rolling
   * update replaces them), and those of a deleted workload of the same name too: neither is this
   * rollout's.
   */
  private java.util.function.Predicate<Pod> currentPods(
      KubeApplier.ObjectId id,
      GenericKubernetesResource workload,
      Map<String, Object> status,
      Map<String, String> labels) {
    String uid = workload.getMetadata().getUid();
    switch (id.kind()) {
      case "Deployment" -> {
        Set<String> owners = newReplicaSets(id, uid, labels);
        return pod -> ownedBy(pod, owners);
      }
      case "StatefulSet" -> {
        Object revision = status.get("updateRevision");
        return pod ->
            ownedBy(pod, Set.of(uid))
                && (revision == null || revision.equals(label(pod, REVISION_HASH)));
      }
      case "DaemonSet" -> {
        String hash = newestRevisionHash(id, uid);
        return pod ->
            ownedBy(pod, Set.of(uid)) && (hash == null || hash.equals(label(pod, REVISION_HASH)));
      }
      default -> {
        return pod -> ownedBy(pod, Set.of(uid));
      }
    }
  }

  /** The uids of the Deployment's ReplicaSet(s) of its current pod template. */
  private Set<String> newReplicaSets(
      KubeApplier.ObjectId id, String uid, Map<String, String> labels) {
    Deployment deployment =
        client.apps().deployments().inNamespace(id.namespace()).withName(id.name()).get();
    if (deployment == null || !uid.equals(deployment.getMetadata().getUid())) {
      return Set.of();
    }
    List<ReplicaSet> owned =
        client
            .apps()
            .replicaSets()
            .inNamespace(id.namespace())
            .withLabels(labels)
            .list()
            .getItems()
            .stream()
            .filter(rs -> ownedBy(rs, Set.of(uid)))
            .toList();
    Set<String> uids = new java.util.HashSet<>();
    for (ReplicaSet rs : owned) {
      if (sameTemplate(rs.getSpec().getTemplate(), deployment.getSpec().getTemplate())) {
        uids.add(rs.getMetadata().getUid());
      }
    }
    // none yet: the controller has not made it, and the Deployment's revision annotation still
    // names the old one, whose pods are not this rollout's
    return uids;
  }

  /** Whether a ReplicaSet's template is the Deployment's, as the deployment controller compares. */
  private static boolean sameTemplate(PodTemplateSpec replicaSet, PodTemplateSpec deployment) {
    if (replicaSet == null || deployment == null) {
      return false;
    }
    PodTemplateSpec a = new PodTemplateSpecBuilder(replicaSet).build();
    PodTemplateSpec b = new PodTemplateSpecBuilder(deployment).build();
    for (PodTemplateSpec t : List.of(a, b)) {
      if (t.getMetadata() != null && t.getMetadata().getLabels() != null) {
        Map<String, String> labels = new LinkedHashMap<>(t.getMetadata().getLabels());
        labels.remove(TEMPLATE_HASH);
        t.getMetadata().setLabels(labels);
      }
    }
    return a.equals(b);
  }

  /** The hash of the DaemonSet's newest ControllerRevision; null when it has none. */
  private String newestRevisionHash(KubeApplier.ObjectId id, String uid) {
    ControllerRevision newest = null;
    for (ControllerRevision revision :
        client.apps().controllerRevisions().inNamespace(id.namespace()).list().getItems()) {
      if (ownedBy(revision, Set.of(uid))
          && (newest == null || number(revision.getRevision()) > number(newest.getRevision()))) {
        newest = revision;
      }
    }
    if (newest == null) {
      return null;
    }
    String hash = label(newest, REVISION_HASH);
    String name = newest.getMetadata().getName();
    return hash != null
        ? hash
        : name.startsWith(id.name() + "-") ? name.substring(id.name().length() + 1) : name;
  }

  private static String label(HasMetadata object, String key) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  private static boolean ownedBy(
      io.fabric8.kubernetes.api.model.HasMetadata object, Set<String> uids) {
    for (var owner : safe(object.getMetadata().getOwnerReferences())) {
      if (uids.contains(owner.getUid())) {
        return true;
      }
    }
    return false;
  }

  /** The pods of the workload: fails fast on a fatal waiting reason; else what they wait for. */
  private List<String> podProblems(
      KubeApplier.ObjectId id,
      GenericKubernetesResource workload,
      Map<String, Object> spec,
      Map<String, Object> status)
      throws ActionException {
    Map<String, Object> selector = map(map(spec.get("selector")).get("matchLabels"));
    if (id.kind().equals("Job")) {
      selector = Map.of("job-name", id.name());
    }
    if (selector.isEmpty()) {
      return List.of();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    selector.forEach((k, v) -> labels.put(k, String.valueOf(v)));
    List<Pod> pods;
    try {
      pods = client.pods().inNamespace(id.namespace()).withLabels(labels).list().getItems();
      pods = pods.stream().filter(currentPods(id, workload, status, labels)).toList();
      lastPods.put(id, pods);
    } catch (KubernetesClientException e) {
      throw KubeClients.failure(target, "list the pods of " + id, e);
    }
    List<String> waiting = new ArrayList<>();
    for (Pod pod : pods) {
      waiting.addAll(podProblems(id.toString(), id, workload, pod));
    }
    return waiting;
  }

  /**
   * One pod of a run ({@code grove test}, {@code grove run}): throws when it cannot start (a pull
   * failure, a missing Secret, unschedulable, a node that cannot create it), with the same
   * diagnosis as a rollout's; else what it waits for.
   *
   * @param subject what the failure names first (the action)
   */
  public List<String> podProblems(String subject, Pod pod) throws ActionException {
    return podProblems(
        subject,
        new KubeApplier.ObjectId(
            "v1", "Pod", pod.getMetadata().getNamespace(), pod.getMetadata().getName()),
        null,
        pod);
  }

  private List<String> podProblems(
      String subject, KubeApplier.ObjectId id, GenericKubernetesResource workload, Pod pod)
      throws ActionException {
    List<String> waiting = new ArrayList<>();
    if (pod.getStatus() == null) {
      return List.of();
    }
    for (PodCondition condition : safe(pod.getStatus().getConditions())) {
      if ("PodScheduled".equals(condition.getType())
          && "False".equals(condition.getStatus())
          && "Unschedulable".equals(condition.getReason())) {
        throw new ActionException(
            ROLLOUT_FAILED,
            subject
                + ": pod "
                + pod.getMetadata().getName()
                + " cannot be scheduled: "
                + condition.getMessage(),
            "Lower the pod's cpu/memory requests, or add nodes that fit (and match its"
                + " nodeSelector, affinity and tolerations).");
      }
    }
    List<ContainerStatus> statuses =
        new ArrayList<>(safe(pod.getStatus().getInitContainerStatuses()));
    statuses.addAll(safe(pod.getStatus().getContainerStatuses()));
    for (ContainerStatus container : statuses) {
      if (container.getState() == null || container.getState().getWaiting() == null) {
        continue;
      }
      String reason = container.getState().getWaiting().getReason();
      String message = container.getState().getWaiting().getMessage();
      if (reason != null && FATAL_WAITING.contains(reason)) {
        throw fatal(subject, id, workload, pod, container, reason, message);
      }
      Optional<Event> sandbox =
          "ContainerCreating".equals(reason) ? sandboxFailure(pod) : Optional.empty();
      if (sandbox.isPresent()) {
        throw new ActionException(
            ROLLOUT_FAILED,
            subject
                + ": the node cannot create pod "
                + pod.getMetadata().getName()
                + " (FailedCreatePodSandBox, "
                + sandbox.get().getCount()
                + " times): "
                + sandbox.get().getMessage(),
            "The node's container runtime or network fails, not the app: look at the node (its"
                + " runtime's log; for the sandbox, $GROVE_HOME/sandbox/node/containerd.log).");
      }
      if (reason != null) {
        waiting.add(pod.getMetadata().getName() + ": " + reason);
      }
    }
    return waiting;
  }

  private ActionException fatal(
      String subject,
      KubeApplier.ObjectId id,
      GenericKubernetesResource workload,
      Pod pod,
      ContainerStatus container,
      String reason,
      String message) {
    String podName = pod.getMetadata().getName();
    String text = message != null && !message.isBlank() ? message : lastEvent(pod);
    String head =
        subject
            + ": container "
            + container.getName()
            + " of pod "
            + podName
            + " is "
            + reason
            + (text == null || text.isBlank() ? "" : ": " + text);
    if (PULL_FAILURES.contains(reason) || reason.equals("InvalidImageName")) {
      String image = container.getImage();
      if (image == null || image.isBlank()) {
        image =
            pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(container.getName()))
                .map(io.fabric8.kubernetes.api.model.Container::getImage)
                .findFirst()
                .orElse("?");
      }
      return new ActionException(
          ROLLOUT_FAILED,
          head + pullContext(pod, image),
          pullFix(id, workload, pod, image, reason));
    }
    String fix =
        switch (reason) {
          case "CrashLoopBackOff" ->
              "The container starts and exits: read its log (`kubectl logs "
                  + podName
                  + " -c "
                  + container.getName()
                  + " --previous`) and fix the command, env or config it needs.";
          case "CreateContainerConfigError" ->
              "A Secret or ConfigMap the pod references (env, envFrom, volumes) is missing or lacks"
                  + " the key: create it in namespace "
                  + id.namespace()
                  + ", or fix the reference.";
          default -> "Look at the pod's events (`kubectl describe pod " + podName + "`).";
        };
    if (reason.equals("CrashLoopBackOff")) {
      head += lastRun(pod, container);
    }
    return new ActionException(ROLLOUT_FAILED, head, fix);
  }

  /** The current pods of each workload at the last look (for what a timeout reports). */
  private final Map<KubeApplier.ObjectId, List<Pod>> lastPods = new ConcurrentHashMap<>();

  /**
   * The containers that run but are not ready, each with its readiness probe and the pod's last
   * event (a failed probe's {@code Unhealthy} says why): what keeps a rollout waiting to its end.
   */
  private List<String> notReady(List<Pod> pods) {
    List<String> found = new ArrayList<>();
    for (Pod pod : pods) {
      if (pod.getStatus() == null) {
        continue;
      }
      for (ContainerStatus container : safe(pod.getStatus().getContainerStatuses())) {
        boolean running = container.getState() != null && container.getState().getRunning() != null;
        if (!running || Boolean.TRUE.equals(container.getReady())) {
          continue;
        }
        String probe =
            pod.getSpec().getContainers().stream()
                .filter(
                    c -> c.getName().equals(container.getName()) && c.getReadinessProbe() != null)
                .map(c -> describe(c.getReadinessProbe()))
                .findFirst()
                .orElse("no readiness probe");
        String event = lastEvent(pod);
        found.add(
            "container "
                + container.getName()
                + " of pod "
                + pod.getMetadata().getName()
                + " runs but is not ready (readiness probe: "
                + probe
                + ")"
                + (event == null || event.isBlank() ? "" : "; last event: " + event.strip()));
      }
    }
    return found;
  }

  private static String describe(io.fabric8.kubernetes.api.model.Probe probe) {
    if (probe.getHttpGet() != null) {
      var get = probe.getHttpGet();
      return "httpGet "
          + (get.getPath() == null ? "/" : get.getPath())
          + " on port "
          + (get.getPort() == null ? "?" : get.getPort().getValue());
    }
    if (probe.getTcpSocket() != null) {
      return "tcpSocket on port "
          + (probe.getTcpSocket().getPort() == null
              ? "?"
              : probe.getTcpSocket().getPort().getValue());
    }
    if (probe.getExec() != null) {
      return "exec " + String.join(" ", safe(probe.getExec().getCommand()));
    }
    return "grpc";
  }

  /** How often a pod's sandbox must have failed to be created before the rollout gives up. */
  private static final int SANDBOX_FAILURES = 3;

  /**
   * The pod's {@code FailedCreatePodSandBox} event once it has repeated {@value #SANDBOX_FAILURES}
   * times: the kubelet retries for ever, so the rollout would wait its whole timeout on a node that
   * cannot run the pod (a first failure can be passing, as a CNI starting).
   */
  private Optional<Event> sandboxFailure(Pod pod) {
    try {
      return client
          .v1()
          .events()
          .inNamespace(pod.getMetadata().getNamespace())
          .withField("involvedObject.name", pod.getMetadata().getName())
          .list()
          .getItems()
          .stream()
          .filter(e -> "FailedCreatePodSandBox".equals(e.getReason()))
          .filter(e -> e.getCount() != null && e.getCount() >= SANDBOX_FAILURES)
          .findFirst();
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }

  /** How many of a crashed container's last log lines a failure shows. */
  private static final int CRASH_LOG_LINES = 10;

  /**
   * How a crashed container's last run ended: its exit code, termination message and last log lines
   * (what {@code kubectl logs --previous} shows), or nothing when the cluster has none of them.
   */
  private String lastRun(Pod pod, ContainerStatus container) {
    StringBuilder text = new StringBuilder();
    if (container.getLastState() != null && container.getLastState().getTerminated() != null) {
      var terminated = container.getLastState().getTerminated();
      text.append("; it exited with code ").append(terminated.getExitCode());
      if (terminated.getMessage() != null && !terminated.getMessage().isBlank()) {
        text.append(" (").append(terminated.getMessage().strip()).append(")");
      }
    }
    String log;
    try {
      log =
          client
              .pods()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(pod.getMetadata().getName())
              .inContainer(container.getName())
              .terminated()
              .tailingLines(CRASH_LOG_LINES)
              .getLog();
    } catch (KubernetesClientException e) {
      log = null; // the log is a courtesy: the failure itself is already known
    }
    if (log != null && !log.isBlank()) {
      text.append("; its last log lines:");
      log.lines().forEach(line -> text.append("\n  | ").append(line));
    }
    return text.toString();
  }

  /** Which registry, which pull secrets the pod had (and its service account's), which exist. */
  private String pullContext(Pod pod, String image) {
    String registry = ImageNames.registryHost(image);
    List<String> podSecrets =
        safe(pod.getSpec().getImagePullSecrets()).stream()
            .map(LocalObjectReference::getName)
            .toList();
    String account =
        pod.getSpec().getServiceAccountName() == null
            ? "default"
            : pod.getSpec().getServiceAccountName();
    List<String> accountSecrets = List.of();
    try {
      ServiceAccount sa =
          client
              .serviceAccounts()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(account)
              .get();
      if (sa != null) {
        accountSecrets =
            safe(sa.getImagePullSecrets()).stream().map(LocalObjectReference::getName).toList();
      }
    } catch (KubernetesClientException e) {
      // the context is a courtesy: the failure itself is already known
    }
    StringBuilder text = new StringBuilder();
    text.append(". Image ").append(image).append(" (registry ").append(registry).append(")");
    text.append("; the pod's imagePullSecrets: ")
        .append(
            podSecrets.isEmpty()
                ? "none"
                : describeSecrets(podSecrets, pod.getMetadata().getNamespace()));
    text.append("; service account ")
        .append(account)
        .append("'s: ")
        .append(
            accountSecrets.isEmpty()
                ? "none"
                : describeSecrets(accountSecrets, pod.getMetadata().getNamespace()));
    return text.toString();
  }

  /** A docker-registry Secret in the namespace with credentials for {@code registry}, or null. */
  private String pullSecretFor(String registry, String namespace) {
    try {
      for (io.fabric8.kubernetes.api.model.Secret secret :
          client.secrets().inNamespace(namespace).list().getItems()) {
        Map<String, String> data = secret.getData();
        if (!"kubernetes.io/dockerconfigjson".equals(secret.getType())
            || data == null
            || data.get(".dockerconfigjson") == null) {
          continue;
        }
        String json =
            new String(
                java.util.Base64.getDecoder().decode(data.get(".dockerconfigjson")),
                java.nio.charset.StandardCharsets.UTF_8);
        Map<?, ?> config = client.getKubernetesSerialization().unmarshal(json, Map.class);
        if (config.get("auths") instanceof Map<?, ?> auths) {
          for (Object host : auths.keySet()) {
            if (ImageNames.registryHost(
                    String.valueOf(host).replaceFirst("^https?://", "").replaceFirst("/.*$", "")
                        + "/x")
                .equals(registry)) {
              return secret.getMetadata().getName();
            }
          }
        }
      }
    } catch (KubernetesClientException | IllegalArgumentException e) {
      // a courtesy: the fix then names no secret
    }
    return null;
  }

  private String describeSecrets(List<String> names, String namespace) {
    List<String> described = new ArrayList<>();
    for (String name : names) {
      boolean exists;
      try {
        exists = client.secrets().inNamespace(namespace).withName(name).get() != null;
      } catch (KubernetesClientException e) {
        exists = true; // cannot tell: do not claim it is missing
      }
      described.add(name + (exists ? "" : " (missing in namespace " + namespace + ")"));
    }
    return String.join(", ", described);
  }

  /**
   * What to do about a pull failure. A pod without pull secrets gets the patch to paste, for this
   * workload and, when the namespace holds a docker-registry Secret for the image's registry (the
   * provider's, which Grove copies there), that Secret.
   */
  private String pullFix(
      KubeApplier.ObjectId id,
      GenericKubernetesResource workload,
      Pod pod,
      String image,
      String reason) {
    if (reason.equals("InvalidImageName")) {
      return "Fix the image name `" + image + "` (lower case, [host/]repository[:tag|@digest]).";
    }
    boolean noSecrets = safe(pod.getSpec().getImagePullSecrets()).isEmpty();
    String registry = ImageNames.registryHost(image);
    if (noSecrets) {
      String secret = pullSecretFor(registry, pod.getMetadata().getNamespace());
      if (id.kind().equals("Pod")) {
        // a Test's or Run's pod: Grove sets the provider's imagePullSecrets on it
        return "The pod has no pull secret for "
            + registry
            + ". List a docker-registry Secret for it in the kubernetes provider's"
            + " imagePullSecrets: Grove copies it into namespace "
            + pod.getMetadata().getNamespace()
            + " and sets it on the pod"
            + (secret != null ? " (" + secret + " there holds credentials for it)." : ".");
      }
      Map<String, String> annotations =
          workload == null || workload.getMetadata().getAnnotations() == null
              ? Map.of()
              : workload.getMetadata().getAnnotations();
      boolean chart = annotations.containsKey("meta.helm.sh/release-name");
      return "The pod has no pull secret for "
          + registry
          + (chart
              ? ". Pass one in the chart's values (most charts take `imagePullSecrets: [{name:"
                  + " SECRET}]`), set `spec.imagePullSecrets: provider` on the helm Deploy (Grove"
                  + " injects the provider's imagePullSecrets into the rendered chart)"
              : ". Set `spec.imagePullSecrets: provider` on the kubernetes Deploy (Grove injects"
                  + " the provider's imagePullSecrets)")
          + ", or add a patchResources entry:\n"
          + "  patchResources:\n"
          + "    - kind: "
          + id.kind()
          + "\n"
          + "      name: "
          + id.name()
          + "\n"
          + "      patch:\n"
          + "        spec:\n"
          + "          template:\n"
          + "            spec:\n"
          + "              imagePullSecrets:\n"
          + "                - name: "
          + (secret != null ? secret : "<a docker-registry secret for " + registry + ">");
    }
    return "Check that the image exists (`grove build`) and that the pull secret's credentials"
        + " can read "
        + registry
        + " (for Artifact Registry: roles/artifactregistry.reader); a missing secret must be"
        + " created in the namespace, or listed in the provider's imagePullSecrets.";
  }

  private String lastEvent(Pod pod) {
    try {
      List<Event> events =
          client
              .v1()
              .events()
              .inNamespace(pod.getMetadata().getNamespace())
              .withField("involvedObject.name", pod.getMetadata().getName())
              .list()
              .getItems();
      return events.isEmpty() ? null : events.get(events.size() - 1).getMessage();
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<?> list(Object value) {
    return value instanceof List<?> l ? l : List.of();
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }

  private static <T> List<T> safe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
