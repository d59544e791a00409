package dev.grove.sandbox.kubelet;

import dev.grove.sandbox.cluster.ClusterState;
import dev.grove.sandbox.cluster.EventRecorder;
import dev.grove.sandbox.cluster.KubeJson;
import dev.grove.sandbox.cluster.Node;
import dev.grove.sandbox.cluster.PodLogs;
import dev.grove.sandbox.image.ImagePulls;
import dev.grove.sandbox.image.ImageReference;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The kubelet of the sandbox's one node, {@value Node#NAME}: runs the pods bound to it (and binds
 * the ones bound to no node, as the scheduler would), without running any process.
 *
 * <p>For each container it pulls the image ({@link ImagePulls}, for real in the sandbox tool); init
 * containers one after the other, then the app containers. A pulled container "starts": it is
 * running and ready at once (probes are not simulated) and its log gets a few {@code
 * [grove-sandbox]} lines saying what was pulled and what would run. A failed pull is {@code
 * ErrImagePull} with the runtime's message, {@value #BACK_OFF_SECONDS} s later {@code
 * ImagePullBackOff}, and is retried every {@value #RETRY_SECONDS} s (fixed, not the kubelet's
 * doubling back-off), so a pull secret created later lets the pod start. Events as the kubelet
 * records them: Scheduled, Pulling, Pulled, Created, Started, Failed, BackOff,
 * FailedToRetrieveImagePullSecret, InspectFailed.
 *
 * <p>Containers of pods whose restartPolicy is not Always (Job pods) "run" for {@value
 * #RUN_SECONDS} s and exit 0; the pod Succeeds. Nothing ever crashes, and no heartbeat lines are
 * written: a log holds only what the sandbox did.
 */
public final class Kubelet implements NodeKubelet {

  static final String LOG_MARK = "[grove-sandbox] ";
  static final int BACK_OFF_SECONDS = 2;
  static final int RETRY_SECONDS = 5;
  static final int RUN_SECONDS = 1;

  private static final String COMPONENT = "kubelet";

  private final KubernetesClient client;
  private final ImagePulls pulls;
  private final Executor pullThreads;
  private final PodLogs logs;
  private final EventRecorder events;
  private final Random random;
  private final Map<String, PodRuntime> pods = new HashMap<>();
  private int nextIp = 1;

  public Kubelet(
      KubernetesClient client,
      ImagePulls pulls,
      Executor pullThreads,
      PodLogs logs,
      EventRecorder events,
      Random random) {
    this.client = client;
    this.pulls = pulls;
    this.pullThreads = pullThreads;
    this.logs = logs;
    this.events = events;
    this.random = random;
  }

  /** Registers the node, Ready. */
  @Override
  public void registerNode(Instant now) {
    registerNode(
        client,
        now,
        "grove-sandbox://1",
        "Grove sandbox (simulated)",
        "kubelet is posting ready status (simulated by Grove's sandbox)");
  }

  /** Registers the node, Ready, with what its runtime and system say of themselves. */
  static void registerNode(
      KubernetesClient client,
      Instant now,
      String runtimeVersion,
      String osImage,
      String readyMessage) {
    if (client.nodes().withName(Node.NAME).get() != null) {
      return;
    }
    String time = ClusterState.timestamp(now);
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("110"));
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(Node.NAME)
                .withLabels(Node.LABELS)
                .endMetadata()
                .build())
        .create();
    client
        .nodes()
        .withName(Node.NAME)
        .editStatus(
            node -> {
              node.setStatus(
                  new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                      .addNewCondition()
                      .withType("Ready")
                      .withStatus("True")
                      .withReason("KubeletReady")
                      .withMessage(readyMessage)
                      .withLastHeartbeatTime(time)
                      .withLastTransitionTime(time)
                      .endCondition()
                      .addNewAddress()
                      .withType("InternalIP")
                      .withAddress(Node.IP)
                      .endAddress()
                      .addNewAddress()
                      .withType("Hostname")
                      .withAddress(Node.NAME)
                      .endAddress()
                      .withCapacity(capacity)
                      .withAllocatable(capacity)
                      .withNewNodeInfo()
                      .withKubeletVersion(Node.KUBERNETES_VERSION)
                      .withKubeProxyVersion(Node.KUBERNETES_VERSION)
                      .withContainerRuntimeVersion(runtimeVersion)
                      .withOperatingSystem("linux")
                      .withArchitecture("amd64")
                      .withOsImage(osImage)
                      .withKernelVersion(System.getProperty("os.version", ""))
                      .withMachineID("")
                      .withSystemUUID("")
                      .withBootID("")
                      .endNodeInfo()
                      .build());
              return node;
            });
  }

  /**
   * Whether a container waits for something that comes with time rather than with a change in the
   * cluster: a pull in flight, a back-off to enter or end, a job container's run to finish.
   */
  @Override
  public boolean waiting() {
    for (PodRuntime rt : pods.values()) {
      for (PodRuntime.Container c : rt.all()) {
        if (c.pull != null
            || c.phase == PodRuntime.Phase.ERR_IMAGE_PULL
            || c.phase == PodRuntime.Phase.BACK_OFF
            || (c.phase == PodRuntime.Phase.RUNNING && rt.runsToCompletion)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void reconcile(ClusterState state) {
    Set<String> seen = new HashSet<>();
    for (Pod pod : state.pods()) {
      String nodeName = pod.getSpec().getNodeName();
      if (nodeName != null && !nodeName.isEmpty() && !nodeName.equals(Node.NAME)) {
        continue; // bound to a node that does not exist: stays Pending, as it would
      }
      seen.add(pod.getMetadata().getUid());
      sync(state, pod);
    }
    for (String uid : List.copyOf(pods.keySet())) {
      if (!seen.contains(uid)) {
        PodRuntime gone = pods.remove(uid);
        logs.podGone(gone.namespace, gone.name);
        for (PodRuntime.Container c : gone.all()) {
          if (c.pull != null) {
            c.pull.cancel(false);
          }
        }
      }
    }
  }

  private void sync(ClusterState state, Pod pod) {
    Instant now = state.now();
    PodRuntime rt = pods.get(pod.getMetadata().getUid());
    if (rt == null) {
      logs.podGone(pod.getMetadata().getNamespace(), pod.getMetadata().getName()); // a namesake's
      rt = new PodRuntime(pod, now, Node.podIp(nextIp++));
      pods.put(pod.getMetadata().getUid(), rt);
      bind(client, events, pod);
    }
    sync(pod, rt, now);
  }

  /** Binds a pod to the node (the scheduler's part) and records it. */
  static void bind(KubernetesClient client, EventRecorder events, Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    if (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              p -> {
                p.getSpec().setNodeName(Node.NAME);
                return p;
              });
    }
    events.record(
        pod,
        null,
        EventRecorder.NORMAL,
        "Scheduled",
        "Successfully assigned " + namespace + "/" + name + " to " + Node.NAME,
        "default-scheduler");
  }

  private void sync(Pod pod, PodRuntime rt, Instant now) {
    boolean initialized = true;
    for (PodRuntime.Container c : rt.init) {
      if (c.phase == PodRuntime.Phase.TERMINATED) {
        continue;
      }
      step(pod, rt, c, now);
      if (c.phase != PodRuntime.Phase.TERMINATED) {
        initialized = false;
        break;
      }
    }
    if (initialized) {
      for (PodRuntime.Container c : rt.app) {
        step(pod, rt, c, now);
      }
      if (rt.runsToCompletion
          && rt.app.stream()
              .allMatch(
                  c ->
                      c.phase == PodRuntime.Phase.RUNNING
                          && !c.startedAt.plusSeconds(RUN_SECONDS).isAfter(now))) {
        rt.app.forEach(c -> exit(rt, c, now));
      }
    }
    PodStatus status = PodStatuses.of(pod, rt, initialized, now);
    if (!KubeJson.same(status, pod.getStatus())) {
      Pod updated = KubeJson.copy(pod);
      updated.setStatus(status);
      client.pods().resource(updated).updateStatus();
    }
  }

  /** One step of a container's life: pull, fail, back off, retry, start. */
  private void step(Pod pod, PodRuntime rt, PodRuntime.Container c, Instant now) {
    if (c.pull != null) {
      if (!c.pull.isDone()) {
        return;
      }
      ImagePulls.Result result = c.pull.join();
      c.pull = null;
      if (!result.missingSecrets().isEmpty()) {
        events.record(
            pod,
            null,
            EventRecorder.WARNING,
            "FailedToRetrieveImagePullSecret",
            "Unable to retrieve some image pull secrets ("
                + String.join(", ", result.missingSecrets())
                + "); attempting to pull the image may not succeed.",
            COMPONENT);
      }
      if (result.pulled()) {
        start(pod, rt, c, result, now);
      } else {
        c.phase = PodRuntime.Phase.ERR_IMAGE_PULL;
        c.message = result.failure().orElse("");
        c.failedAt = now;
        c.nextPull = now.plusSeconds(RETRY_SECONDS);
        events.record(
            pod,
            c.fieldPath(),
            EventRecorder.WARNING,
            "Failed",
            "Failed to pull image \"" + c.image + "\": " + c.message,
            COMPONENT);
        events.record(
            pod, c.fieldPath(), EventRecorder.WARNING, "Failed", "Error: ErrImagePull", COMPONENT);
      }
      return;
    }
    switch (c.phase) {
      case CREATING -> {
        try {
          c.reference = ImageReference.parse(c.image);
        } catch (ImageReference.InvalidReference e) {
          c.phase = PodRuntime.Phase.INVALID;
          c.message = "Failed to apply default image tag \"" + c.image + "\": " + e.getMessage();
          events.record(
              pod, c.fieldPath(), EventRecorder.WARNING, "InspectFailed", c.message, COMPONENT);
          events.record(
              pod,
              c.fieldPath(),
              EventRecorder.WARNING,
              "Failed",
              "Error: InvalidImageName",
              COMPONENT);
          return;
        }
        pull(pod, c);
      }
      case ERR_IMAGE_PULL -> {
        if (!c.failedAt.plusSeconds(BACK_OFF_SECONDS).isAfter(now)) {
          c.phase = PodRuntime.Phase.BACK_OFF;
          events.record(
              pod,
              c.fieldPath(),
              EventRecorder.NORMAL,
              "BackOff",
              "Back-off pulling image \"" + c.image + "\"",
              COMPONENT);
          events.record(
              pod,
              c.fieldPath(),
              EventRecorder.WARNING,
              "Failed",
              "Error: ImagePullBackOff",
              COMPONENT);
        }
      }
      case BACK_OFF -> {
        if (!c.nextPull.isAfter(now)) {
          pull(pod, c);
        }
      }
      default -> {
        // INVALID stays so; RUNNING and TERMINATED have nothing to wait for
      }
    }
  }

  private void pull(Pod pod, PodRuntime.Container c) {
    if (!c.reference.isDockerHub()) { // taken as present: the kubelet does not say Pulling then
      events.record(
          pod,
          c.fieldPath(),
          EventRecorder.NORMAL,
          "Pulling",
          "Pulling image \"" + c.image + "\"",
          COMPONENT);
    }
    ImageReference image = c.reference;
    c.pull = CompletableFuture.supplyAsync(() -> pulls.pull(client, pod, image), pullThreads);
  }

  private void start(
      Pod pod, PodRuntime rt, PodRuntime.Container c, ImagePulls.Result result, Instant now) {
    String digest = result.digest().orElseThrow();
    ImageReference ref = c.reference;
    c.phase = PodRuntime.Phase.RUNNING;
    c.message = null;
    c.startedAt = now;
    c.runtimeImage = ref.normalized().replaceFirst("@.*$", "");
    c.imageId = ref.host() + "/" + ref.repository() + "@" + digest;
    c.containerId = "containerd://" + hex(32);
    String pulled =
        result.assumed()
            ? "Container image \""
                + c.image
                + "\" already present on machine (the sandbox has no internet and takes docker.io"
                + " images as present without pulling them)"
            : "Successfully pulled image \""
                + c.image
                + "\" in "
                + result.took().toMillis()
                + "ms ("
                + result.took().toMillis()
                + "ms including waiting)";
    events.record(pod, c.fieldPath(), EventRecorder.NORMAL, "Pulled", pulled, COMPONENT);
    events.record(
        pod,
        c.fieldPath(),
        EventRecorder.NORMAL,
        "Created",
        "Created container: " + c.name,
        COMPONENT);
    events.record(
        pod,
        c.fieldPath(),
        EventRecorder.NORMAL,
        "Started",
        "Started container " + c.name,
        COMPONENT);
    logs.append(
        rt.namespace,
        rt.name,
        c.name,
        LOG_MARK
            + (result.assumed()
                ? "took "
                    + ref.normalized()
                    + " as present ("
                    + digest
                    + " made up): the sandbox cannot reach docker.io"
                : "pulled " + ref.normalized() + " (" + digest + ")"));
    logs.append(
        rt.namespace,
        rt.name,
        c.name,
        LOG_MARK
            + "started container "
            + c.name
            + " ("
            + (c.command.isEmpty() && c.args.isEmpty()
                ? "the image's entrypoint"
                : "command " + c.command + ", args " + c.args)
            + ")");
    logs.append(
        rt.namespace,
        rt.name,
        c.name,
        LOG_MARK + "the sandbox runs no processes: this is all the output there is");
    if (c.init) {
      exit(rt, c, now);
    }
  }

  private void exit(PodRuntime rt, PodRuntime.Container c, Instant now) {
    c.phase = PodRuntime.Phase.TERMINATED;
    c.finishedAt = now;
    logs.append(
        rt.namespace, rt.name, c.name, LOG_MARK + "container " + c.name + " exited with code 0");
    logs.end(rt.namespace, rt.name, c.name);
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }
}
