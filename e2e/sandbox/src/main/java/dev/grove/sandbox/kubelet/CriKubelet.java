package dev.grove.sandbox.kubelet;

import dev.grove.sandbox.cluster.ClusterState;
import dev.grove.sandbox.cluster.EventRecorder;
import dev.grove.sandbox.cluster.Node;
import dev.grove.sandbox.cluster.PodLogs;
import dev.grove.sandbox.cri.CriClient;
import dev.grove.sandbox.cri.CriClient.CriException;
import dev.grove.sandbox.cri.v1.AttachRequest;
import dev.grove.sandbox.cri.v1.AuthConfig;
import dev.grove.sandbox.cri.v1.ContainerState;
import dev.grove.sandbox.cri.v1.ExecRequest;
import dev.grove.sandbox.cri.v1.ImageSpec;
import dev.grove.sandbox.cri.v1.ListPodSandboxRequest;
import dev.grove.sandbox.cri.v1.PodSandbox;
import dev.grove.sandbox.cri.v1.PodSandboxFilter;
import dev.grove.sandbox.cri.v1.PortForwardRequest;
import dev.grove.sandbox.cri.v1.PullImageRequest;
import dev.grove.sandbox.cri.v1.VersionResponse;
import dev.grove.sandbox.node.LinuxNode;
import dev.grove.sandbox.node.NodeNetwork;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet of a real node: runs the pods bound to it in containerd through CRI, as a kubelet
 * does (RunPodSandbox, PullImage with the pod's pull secrets as AuthConfig, CreateContainer,
 * StartContainer, ContainerStatus, probes, restarts with back-off, StopPodSandbox and
 * RemovePodSandbox when the pod goes). Each pod's work runs on the kubelet's worker threads, one
 * step at a time per pod, so the controllers' loop never waits for a pull or a stop; the
 * containers' CRI log files are followed into {@link PodLogs}.
 *
 * <p>Images are pulled on every container start (unless {@code imagePullPolicy: Never}), even when
 * containerd has them: a pod without the right pull secret fails with containerd's own error, as
 * the user's story needs (a node with the image would otherwise start it for any pod).
 */
public final class CriKubelet implements NodeKubelet, PodStreams {

  private static final Logger LOG = LoggerFactory.getLogger(CriKubelet.class);

  private final KubernetesClient client;
  private final LinuxNode node;
  private final CriClient cri;
  private final PodLogs logs;
  private final EventRecorder events;
  private final Clock clock;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final CriProbes probes;
  private final Map<String, CriPod> pods = new ConcurrentHashMap<>();
  private final Object pauseLock = new Object();
  private boolean pausePulled;
  private volatile boolean closing;

  public CriKubelet(
      KubernetesClient client, LinuxNode node, PodLogs logs, EventRecorder events, Clock clock) {
    this.client = client;
    this.node = node;
    this.cri = new CriClient(node.criSocket());
    this.logs = logs;
    this.events = events;
    this.clock = clock;
    this.workers = Executors.newCachedThreadPool(r -> daemon(r, "sandbox-cri-pod"));
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sandbox-cri-timer"));
    this.probes = new CriProbes(cri, node.network(), timers);
    timers.scheduleWithFixedDelay(this::tailLogs, 200, 200, TimeUnit.MILLISECONDS);
  }

  KubernetesClient client() {
    return client;
  }

  LinuxNode node() {
    return node;
  }

  CriClient cri() {
    return cri;
  }

  PodLogs logs() {
    return logs;
  }

  EventRecorder events() {
    return events;
  }

  CriProbes probes() {
    return probes;
  }

  /**
   * Registers the node with what containerd says of itself; first removes the pod sandboxes a
   * kubelet of an earlier run left (its pods are gone with that run's API).
   */
  @Override
  public void registerNode(Instant now) {
    String runtime;
    try {
      VersionResponse version = cri.version();
      runtime = version.getRuntimeName() + "://" + version.getRuntimeVersion();
    } catch (CriException e) {
      throw new IllegalStateException(
          "containerd does not answer on " + node.criSocket() + ": " + e.getMessage());
    }
    removeOwnSandboxes();
    Kubelet.registerNode(client, now, runtime, osImage(), "kubelet is posting ready status");
  }

  /** The machine's system, as the kubelet reads it from os-release. */
  private static String osImage() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replace("\"", "");
        }
      }
    } catch (IOException e) {
      // no os-release: say what is known
    }
    return "Linux";
  }

  @Override
  public boolean waiting() {
    return pods.values().stream().anyMatch(p -> p.busy.get() || p.eager);
  }

  @Override
  public void reconcile(ClusterState state) {
    if (closing) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (Pod pod : state.pods()) {
      String nodeName = pod.getSpec().getNodeName();
      if (nodeName != null && !nodeName.isEmpty() && !nodeName.equals(Node.NAME)) {
        continue;
      }
      String uid = pod.getMetadata().getUid();
      seen.add(uid);
      CriPod rt = pods.get(uid);
      if (rt == null) {
        logs.podGone(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        rt = new CriPod(this, pod, state.now());
        pods.put(uid, rt);
        Kubelet.bind(client, events, pod);
      }
      CriPod worker = rt;
      if (worker.busy.compareAndSet(false, true)) {
        workers.execute(
            () -> {
              try {
                worker.sync(pod, clock.instant());
              } catch (RuntimeException e) {
                if (!closing) {
                  LOG.warn("pod {}/{} could not be synced", worker.namespace, worker.name, e);
                }
              } finally {
                worker.busy.set(false);
              }
            });
      }
    }
    for (String uid : List.copyOf(pods.keySet())) {
      if (!seen.contains(uid)) {
        CriPod gone = pods.remove(uid);
        gone.gone = true;
        workers.execute(
            () -> {
              while (gone.busy.get() && !closing) {
                sleep(50); // the step in flight ends first
              }
              teardown(gone, gone.grace);
              logs.podGone(gone.namespace, gone.name);
            });
      }
    }
  }

  /** Stops the pod's containers (within {@code grace}), then stops and removes its sandbox. */
  void teardown(CriPod pod, Duration grace) {
    String sandbox = pod.sandboxId;
    if (sandbox == null) {
      return;
    }
    List<Thread> stops = new ArrayList<>();
    for (CriPod.Ctr c : pod.all()) {
      String id = c.id;
      if (id != null) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    cri.stopContainer(id, grace);
                  } catch (CriException e) {
                    LOG.debug("stop {}: {}", id, e.getMessage());
                  }
                },
                "sandbox-cri-stop");
        t.setDaemon(true);
        t.start();
        stops.add(t);
      }
    }
    for (Thread t : stops) {
      try {
        t.join(grace.plus(CriClient.QUICK).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      cri.stopPodSandbox(sandbox);
      cri.removePodSandbox(sandbox);
      LOG.info("pod {}/{}: sandbox {} removed", pod.namespace, pod.name, sandbox.substring(0, 12));
    } catch (CriException e) {
      if (closing) { // interrupted: close() removes what is left
        return;
      }
      LOG.warn(
          "The pod sandbox of {}/{} could not be removed: {}",
          pod.namespace,
          pod.name,
          e.getMessage());
    }
    pod.sandboxId = null;
  }

  void removeQuietly(String containerId) {
    try {
      cri.removeContainer(containerId);
    } catch (CriException e) {
      LOG.debug("remove {}: {}", containerId, e.getMessage());
    }
  }

  /** Pulls the pause image once, with the registry's login (containerd has no credentials). */
  void pullPause() throws CriException {
    synchronized (pauseLock) {
      if (pausePulled) {
        return;
      }
      cri.pullImage(
          PullImageRequest.newBuilder()
              .setImage(ImageSpec.newBuilder().setImage(node.pauseImage()))
              .setAuth(
                  AuthConfig.newBuilder()
                      .setUsername(node.registryUser())
                      .setPassword(node.registryPassword()))
              .build());
      pausePulled = true;
    }
  }

  private void removeOwnSandboxes() {
    try {
      for (PodSandbox sandbox :
          cri.listPodSandbox(
                  ListPodSandboxRequest.newBuilder()
                      .setFilter(
                          PodSandboxFilter.newBuilder()
                              .putLabelSelector(CriPod.OWNER_LABEL, "grove"))
                      .build())
              .getItemsList()) {
        try {
          cri.stopPodSandbox(sandbox.getId());
          cri.removePodSandbox(sandbox.getId());
        } catch (CriException e) {
          LOG.warn("pod sandbox {} could not be removed: {}", sandbox.getId(), e.getMessage());
        }
      }
    } catch (CriException e) {
      LOG.warn("The node's pod sandboxes could not be listed: {}", e.getMessage());
    }
  }

  private void tailLogs() {
    for (CriPod pod : pods.values()) {
      for (CriPod.Ctr c : pod.all()) {
        CriLogTail tail = c.tail;
        if (tail != null && c.terminated == null) {
          tail.poll();
        }
      }
    }
  }

  // --- PodStreams ------------------------------------------------------------------------------

  @Override
  public Optional<PodStreams> streams() {
    return Optional.of(this);
  }

  @Override
  public NodeNetwork network() {
    return node.network();
  }

  @Override
  public URI exec(
      String namespace,
      String pod,
      String container,
      List<String> command,
      boolean stdin,
      boolean stdout,
      boolean stderr,
      boolean tty)
      throws StreamException {
    String id = runningContainer(namespace, pod, container);
    try {
      return URI.create(
          cri.exec(
                  ExecRequest.newBuilder()
                      .setContainerId(id)
                      .addAllCmd(command)
                      .setStdin(stdin)
                      .setStdout(stdout)
                      .setStderr(stderr && !tty)
                      .setTty(tty)
                      .build())
              .getUrl());
    } catch (CriException e) {
      throw new StreamException(500, e.getMessage());
    }
  }

  @Override
  public URI attach(
      String namespace,
      String pod,
      String container,
      boolean stdin,
      boolean stdout,
      boolean stderr,
      boolean tty)
      throws StreamException {
    String id = runningContainer(namespace, pod, container);
    try {
      return URI.create(
          cri.attach(
                  AttachRequest.newBuilder()
                      .setContainerId(id)
                      .setStdin(stdin)
                      .setStdout(stdout)
                      .setStderr(stderr && !tty)
                      .setTty(tty)
                      .build())
              .getUrl());
    } catch (CriException e) {
      throw new StreamException(500, e.getMessage());
    }
  }

  @Override
  public URI portForward(String namespace, String pod, List<Integer> ports) throws StreamException {
    CriPod rt = pod(namespace, pod);
    String sandbox = rt.sandboxId;
    if (sandbox == null) {
      throw new StreamException(400, "pod " + pod + " does not have a host assigned");
    }
    try {
      return URI.create(
          cri.portForward(
                  PortForwardRequest.newBuilder()
                      .setPodSandboxId(sandbox)
                      .addAllPort(ports)
                      .build())
              .getUrl());
    } catch (CriException e) {
      throw new StreamException(500, e.getMessage());
    }
  }

  private CriPod pod(String namespace, String pod) throws StreamException {
    return pods.values().stream()
        .filter(p -> p.namespace.equals(namespace) && p.name.equals(pod))
        .findFirst()
        .orElseThrow(() -> new StreamException(404, "pods \"" + pod + "\" not found"));
  }

  private String runningContainer(String namespace, String pod, String container)
      throws StreamException {
    CriPod rt = pod(namespace, pod);
    String wanted = container == null || container.isEmpty() ? rt.app.get(0).name : container;
    CriPod.Ctr c =
        rt.all().stream()
            .filter(x -> x.name.equals(wanted))
            .findFirst()
            .orElseThrow(
                () ->
                    new StreamException(
                        400, "container " + wanted + " is not valid for pod " + pod));
    String id = c.id;
    boolean running;
    try {
      running =
          id != null
              && cri.containerStatus(id).getStatus().getState() == ContainerState.CONTAINER_RUNNING;
    } catch (CriException e) {
      running = false;
    }
    if (!running) {
      throw new StreamException(
          400, "unable to upgrade connection: container not found (\"" + wanted + "\")");
    }
    return id;
  }

  // ---------------------------------------------------------------------------------------------

  /** Stops and removes every pod sandbox this kubelet made; leaves none behind. */
  @Override
  public void close() {
    closing = true;
    workers.shutdownNow();
    timers.shutdownNow();
    List<Thread> teardowns = new ArrayList<>();
    for (CriPod pod : pods.values()) {
      pod.gone = true;
      Thread t = new Thread(() -> teardown(pod, Duration.ofSeconds(2)), "sandbox-cri-close");
      t.setDaemon(true);
      t.start();
      teardowns.add(t);
    }
    for (Thread t : teardowns) {
      try {
        t.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    pods.clear();
    removeOwnSandboxes();
    cri.close();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
