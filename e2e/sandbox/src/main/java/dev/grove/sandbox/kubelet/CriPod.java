package dev.grove.sandbox.kubelet;

import dev.grove.sandbox.cluster.EventRecorder;
import dev.grove.sandbox.cluster.KubeJson;
import dev.grove.sandbox.cluster.Node;
import dev.grove.sandbox.cri.CriClient.CriException;
import dev.grove.sandbox.cri.v1.AuthConfig;
import dev.grove.sandbox.cri.v1.ContainerConfig;
import dev.grove.sandbox.cri.v1.ContainerMetadata;
import dev.grove.sandbox.cri.v1.ContainerState;
import dev.grove.sandbox.cri.v1.ContainerStatus;
import dev.grove.sandbox.cri.v1.CreateContainerRequest;
import dev.grove.sandbox.cri.v1.DNSConfig;
import dev.grove.sandbox.cri.v1.ImageSpec;
import dev.grove.sandbox.cri.v1.Int64Value;
import dev.grove.sandbox.cri.v1.KeyValue;
import dev.grove.sandbox.cri.v1.LinuxContainerConfig;
import dev.grove.sandbox.cri.v1.LinuxContainerResources;
import dev.grove.sandbox.cri.v1.LinuxContainerSecurityContext;
import dev.grove.sandbox.cri.v1.LinuxPodSandboxConfig;
import dev.grove.sandbox.cri.v1.NamespaceMode;
import dev.grove.sandbox.cri.v1.NamespaceOption;
import dev.grove.sandbox.cri.v1.PodSandboxConfig;
import dev.grove.sandbox.cri.v1.PodSandboxMetadata;
import dev.grove.sandbox.cri.v1.PullImageRequest;
import dev.grove.sandbox.cri.v1.RunPodSandboxRequest;
import dev.grove.sandbox.image.ImageReference;
import dev.grove.sandbox.image.PullCredentials;
import dev.grove.sandbox.node.NodeNetwork;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod on the real node: its pod sandbox and containers in containerd, driven through CRI. Its
 * {@link #sync} runs on the kubelet's worker threads, one at a time per pod (never on the
 * controllers' loop), and ends by writing the pod's status.
 */
final class CriPod {

  private static final Logger LOG = LoggerFactory.getLogger(CriPod.class);
  private static final String COMPONENT = "kubelet";
  static final Duration FIRST_BACK_OFF = Duration.ofSeconds(10);
  static final Duration MAX_BACK_OFF = Duration.ofMinutes(5);

  /** Label on every pod sandbox this kubelet makes, so that it can find and remove them all. */
  static final String OWNER_LABEL = "dev.grove.sandbox/kubelet";

  final String uid;
  final String namespace;
  final String name;
  final AtomicBoolean busy = new AtomicBoolean();
  volatile boolean gone;
  volatile String sandboxId;
  volatile String podIp;
  volatile boolean eager = true;

  /** How long the pod's containers get to stop when it is deleted (its spec's grace period). */
  volatile Duration grace;

  private final CriKubelet kubelet;
  private final Instant startTime;
  private PodSandboxConfig sandboxConfig;
  private Instant sandboxRetry = Instant.EPOCH;
  final List<Ctr> init = new ArrayList<>();
  final List<Ctr> app = new ArrayList<>();
  private boolean failed;

  CriPod(CriKubelet kubelet, Pod pod, Instant now) {
    this.kubelet = kubelet;
    this.uid = pod.getMetadata().getUid();
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.startTime = now;
    this.grace = grace(pod);
    if (pod.getSpec().getInitContainers() != null) {
      pod.getSpec().getInitContainers().forEach(c -> init.add(new Ctr(c, true)));
    }
    pod.getSpec().getContainers().forEach(c -> app.add(new Ctr(c, false)));
  }

  List<Ctr> all() {
    List<Ctr> all = new ArrayList<>(init);
    all.addAll(app);
    return all;
  }

  /** A probe's running tally. */
  static final class ProbeState {
    Instant next;
    int successes;
    int failures;
  }

  /** One container of the pod, across its runs. */
  final class Ctr {
    final Container spec;
    final boolean init;
    final String name;
    volatile String id;
    int attempt;
    int restarts;
    String waitingReason = "ContainerCreating";
    String waitingMessage;
    Instant runningSince;
    io.fabric8.kubernetes.api.model.ContainerState terminated;
    io.fabric8.kubernetes.api.model.ContainerState lastState;
    int exitCode;
    boolean restartPending;
    Instant retryAt;
    Instant failedAt;
    Duration backOff;
    Duration pullBackOff;
    String imageRef = "";
    String runtimeImage;
    boolean ready;
    boolean started;
    CriLogTail tail;
    final ProbeState readiness = new ProbeState();
    final ProbeState liveness = new ProbeState();
    final ProbeState startup = new ProbeState();

    Ctr(Container spec, boolean init) {
      this.spec = spec;
      this.init = init;
      this.name = spec.getName();
      this.runtimeImage = spec.getImage();
    }

    String fieldPath() {
      return (init ? "spec.initContainers{" : "spec.containers{") + name + "}";
    }

    boolean succeeded() {
      return terminated != null && exitCode == 0 && !restartPending;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** One step of the pod's life, then its status; on a worker thread. */
  void sync(Pod pod, Instant now) {
    if (gone) {
      return;
    }
    if (sandboxId == null) {
      if (now.isBefore(sandboxRetry) || !runSandbox(pod, now)) {
        writeStatus(pod, now);
        eager = false;
        return;
      }
    }
    boolean initialized = true;
    for (Ctr c : init) {
      if (c.succeeded()) {
        continue;
      }
      step(pod, c, now);
      if (!c.succeeded()) {
        initialized = false;
        break;
      }
    }
    if (initialized && !failed) {
      for (Ctr c : app) {
        step(pod, c, now);
      }
    }
    eager = all().stream().anyMatch(c -> c.id == null && c.retryAt == null && !failed);
    writeStatus(pod, now);
  }

  private boolean runSandbox(Pod pod, Instant now) {
    try {
      kubelet.pullPause();
      Path logDir = kubelet.node().podLogs().resolve(namespace + "_" + name + "_" + uid);
      Files.createDirectories(logDir);
      String hostname =
          pod.getSpec().getHostname() == null || pod.getSpec().getHostname().isEmpty()
              ? name
              : pod.getSpec().getHostname();
      sandboxConfig =
          PodSandboxConfig.newBuilder()
              .setMetadata(
                  PodSandboxMetadata.newBuilder()
                      .setName(name)
                      .setNamespace(namespace)
                      .setUid(uid)
                      .setAttempt(0))
              .setHostname(hostname.length() > 63 ? hostname.substring(0, 63) : hostname)
              .setLogDirectory(logDir.toString())
              .setDnsConfig(
                  DNSConfig.newBuilder()
                      .addServers(NodeNetwork.GATEWAY)
                      .addSearches(namespace + ".svc.cluster.local")
                      .addSearches("svc.cluster.local")
                      .addSearches("cluster.local")
                      .addOptions("ndots:5"))
              .putLabels("io.kubernetes.pod.name", name)
              .putLabels("io.kubernetes.pod.namespace", namespace)
              .putLabels("io.kubernetes.pod.uid", uid)
              .putLabels(OWNER_LABEL, "grove")
              .setLinux(
                  LinuxPodSandboxConfig.newBuilder()
                      .setCgroupParent(kubelet.node().cgroupParent() + "/pod" + uid))
              .build();
      String id =
          kubelet
              .cri()
              .runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(sandboxConfig).build())
              .getPodSandboxId();
      sandboxId = id;
      podIp = kubelet.cri().podSandboxStatus(id).getStatus().getNetwork().getIp();
      LOG.info("pod {}/{}: sandbox {} at {}", namespace, name, id.substring(0, 12), podIp);
      if (gone) { // deleted while the sandbox came up
        kubelet.teardown(this, Duration.ZERO);
      }
      return true;
    } catch (CriException | IOException e) {
      sandboxRetry = now.plusSeconds(5);
      LOG.warn(
          "The pod sandbox of {}/{} could not be created: {}", namespace, name, e.getMessage());
      event(
          pod,
          null,
          EventRecorder.WARNING,
          "FailedCreatePodSandBox",
          "Failed to create pod sandbox: " + e.getMessage());
      return false;
    }
  }

  /** One step of a container: start it, or see how it runs (probes), or restart it. */
  private void step(Pod pod, Ctr c, Instant now) {
    if (c.id != null && !c.restartPending && c.terminated == null) {
      observe(pod, c, now);
    }
    if (c.restartPending) {
      if (now.isBefore(c.retryAt)) {
        c.waitingReason = "CrashLoopBackOff";
        c.waitingMessage =
            "back-off "
                + seconds(c.backOff)
                + " restarting failed container="
                + c.name
                + " pod="
                + name
                + "_"
                + namespace
                + "("
                + uid
                + ")";
        return;
      }
      c.restartPending = false;
      c.lastState = c.terminated;
      c.terminated = null;
      c.restarts++;
      start(pod, c, now);
      return;
    }
    if (c.id == null && (c.retryAt == null || !now.isBefore(c.retryAt))) {
      start(pod, c, now);
    } else if (c.id == null
        && "ErrImagePull".equals(c.waitingReason)
        && !now.isBefore(c.failedAt.plusSeconds(2))) {
      c.waitingReason = "ImagePullBackOff";
      String message = c.waitingMessage;
      c.waitingMessage =
          "Back-off pulling image \"" + c.spec.getImage() + "\": ErrImagePull: " + message;
      event(
          pod,
          c,
          EventRecorder.NORMAL,
          "BackOff",
          "Back-off pulling image \"" + c.spec.getImage() + "\"");
      event(pod, c, EventRecorder.WARNING, "Failed", "Error: ImagePullBackOff");
    }
  }

  /** Reads a started container's state; runs its probes while it runs. */
  private void observe(Pod pod, Ctr c, Instant now) {
    ContainerStatus status;
    try {
      status = kubelet.cri().containerStatus(c.id).getStatus();
    } catch (CriException e) {
      LOG.debug("container status {}: {}", c.id, e.getMessage());
      return;
    }
    if (c.tail != null) {
      c.tail.poll();
    }
    if (status.getState() == ContainerState.CONTAINER_RUNNING) {
      if (c.runningSince == null) {
        c.runningSince = Instant.ofEpochSecond(0, status.getStartedAt());
      }
      c.waitingReason = null;
      probe(pod, c, now);
      return;
    }
    if (status.getState() != ContainerState.CONTAINER_EXITED) {
      return;
    }
    c.exitCode = status.getExitCode();
    String reason =
        status.getReason().isEmpty()
            ? (c.exitCode == 0 ? "Completed" : "Error")
            : status.getReason();
    String message = status.getMessage().isEmpty() ? null : status.getMessage();
    if (message == null
        && c.exitCode != 0
        && "FallbackToLogsOnError".equals(c.spec.getTerminationMessagePolicy())) {
      message = lastLines(c);
    }
    String policy =
        pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    c.terminated =
        new ContainerStateBuilder()
            .withNewTerminated()
            .withExitCode(c.exitCode)
            .withReason(reason)
            .withMessage(message)
            .withStartedAt(
                status.getStartedAt() == 0
                    ? null
                    : timestamp(Instant.ofEpochSecond(0, status.getStartedAt())))
            .withFinishedAt(timestamp(Instant.ofEpochSecond(0, status.getFinishedAt())))
            .withContainerID("containerd://" + c.id)
            .endTerminated()
            .build();
    c.ready = false;
    c.started = false;
    c.runningSince = null;
    kubelet.logs().end(namespace, name, c.name);
    boolean restart =
        c.init
            ? c.exitCode != 0 && !policy.equals("Never")
            : policy.equals("Always") || (policy.equals("OnFailure") && c.exitCode != 0);
    if (c.init && c.exitCode != 0 && policy.equals("Never")) {
      failed = true;
    }
    if (status.getStartedAt() != 0
        && status.getFinishedAt() - status.getStartedAt() > Duration.ofMinutes(10).toNanos()) {
      c.backOff = null; // ran long enough: the back-off starts over, as the kubelet's does
    }
    if (restart) {
      c.backOff =
          c.backOff == null
              ? FIRST_BACK_OFF
              : c.backOff.multipliedBy(2).compareTo(MAX_BACK_OFF) > 0
                  ? MAX_BACK_OFF
                  : c.backOff.multipliedBy(2);
      c.retryAt = now.plus(c.backOff);
      c.restartPending = true;
      event(
          pod,
          c,
          EventRecorder.WARNING,
          "BackOff",
          "Back-off restarting failed container "
              + c.name
              + " in pod "
              + name
              + "_"
              + namespace
              + "("
              + uid
              + ")");
    }
  }

  /**
   * The end of the run's log, as the kubelet's FallbackToLogsOnError takes it (80 lines, 2 KiB).
   */
  private String lastLines(Ctr c) {
    List<dev.grove.sandbox.cluster.PodLogs.Line> lines =
        kubelet.logs().lines(namespace, name, c.name).orElse(List.of());
    StringBuilder text = new StringBuilder();
    for (var line : lines.subList(Math.max(0, lines.size() - 80), lines.size())) {
      text.append(line.text()).append('\n');
    }
    String all = text.toString();
    return all.isEmpty() ? null : all.length() > 2048 ? all.substring(all.length() - 2048) : all;
  }

  private void probe(Pod pod, Ctr c, Instant now) {
    Container spec = c.spec;
    boolean startedOk = spec.getStartupProbe() == null || c.started;
    if (!startedOk) {
      Boolean ok = runProbe(pod, c, spec.getStartupProbe(), c.startup, now, "Startup");
      if (ok == null) {
        return;
      }
      if (ok) {
        c.started = true;
      } else {
        kill(pod, c, "failed startup probe");
        return;
      }
    } else {
      c.started = true;
    }
    if (spec.getLivenessProbe() != null) {
      Boolean ok = runProbe(pod, c, spec.getLivenessProbe(), c.liveness, now, "Liveness");
      if (Boolean.FALSE.equals(ok)) {
        kill(pod, c, "failed liveness probe");
        return;
      }
    }
    if (spec.getReadinessProbe() == null) {
      c.ready = true;
    } else {
      Boolean ok = runProbe(pod, c, spec.getReadinessProbe(), c.readiness, now, "Readiness");
      if (ok != null) {
        c.ready = ok;
      }
    }
  }

  /**
   * Runs a probe when due; TRUE when it reached its success threshold, FALSE its failure threshold,
   * null when it has not decided (not due, or between thresholds).
   */
  private Boolean runProbe(
      Pod pod, Ctr c, Probe probe, ProbeState state, Instant now, String kind) {
    int delay = probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds();
    int period = probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds();
    if (now.isBefore(c.runningSince.plusSeconds(delay))
        || (state.next != null && now.isBefore(state.next))) {
      return null;
    }
    state.next = now.plusSeconds(Math.max(1, period));
    CriProbes.Result result = kubelet.probes().run(probe, c.id, podIp, spec(c).getPorts());
    int successThreshold = probe.getSuccessThreshold() == null ? 1 : probe.getSuccessThreshold();
    int failureThreshold = probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
    if (result.success()) {
      state.failures = 0;
      state.successes++;
      return state.successes >= successThreshold ? Boolean.TRUE : null;
    }
    state.successes = 0;
    state.failures++;
    event(pod, c, EventRecorder.WARNING, "Unhealthy", kind + " probe failed: " + result.output());
    return state.failures >= failureThreshold ? Boolean.FALSE : null;
  }

  private static Container spec(Ctr c) {
    return c.spec;
  }

  private void kill(Pod pod, Ctr c, String why) {
    event(
        pod,
        c,
        EventRecorder.NORMAL,
        "Killing",
        "Container " + c.name + " " + why + ", will be restarted");
    Duration grace = grace(pod);
    try {
      kubelet.cri().stopContainer(c.id, grace);
    } catch (CriException e) {
      LOG.debug("stop {}: {}", c.id, e.getMessage());
    }
    c.liveness.failures = 0;
    c.startup.failures = 0;
  }

  static Duration grace(Pod pod) {
    Long seconds = pod.getSpec().getTerminationGracePeriodSeconds();
    return Duration.ofSeconds(seconds == null ? 30 : Math.min(Math.max(seconds, 0), 60));
  }

  /** Pulls the image, creates and starts a new run of the container. */
  private void start(Pod pod, Ctr c, Instant now) {
    String image = c.spec.getImage();
    ImageReference reference;
    try {
      reference = ImageReference.parse(image);
    } catch (ImageReference.InvalidReference e) {
      c.waitingReason = "InvalidImageName";
      c.waitingMessage = "Failed to apply default image tag \"" + image + "\": " + e.getMessage();
      c.retryAt = Instant.MAX;
      event(pod, c, EventRecorder.WARNING, "InspectFailed", c.waitingMessage);
      event(pod, c, EventRecorder.WARNING, "Failed", "Error: InvalidImageName");
      return;
    }
    String imageRef = reference.normalized();
    if (!"Never".equals(c.spec.getImagePullPolicy())) {
      // Always pulls, even when the image is there: a pod without the right pull secret must
      // fail as on a cluster whose nodes do not share images between namespaces' credentials.
      event(pod, c, EventRecorder.NORMAL, "Pulling", "Pulling image \"" + image + "\"");
      long began = System.nanoTime();
      String error = null;
      String pulled = null;
      List<String> missing = new ArrayList<>();
      List<PullCredentials.Credential> keyring =
          PullCredentials.forHost(
              PullCredentials.secrets(kubelet.client(), pod, missing), reference.host());
      if (!missing.isEmpty()) {
        event(
            pod,
            null,
            EventRecorder.WARNING,
            "FailedToRetrieveImagePullSecret",
            "Unable to retrieve some image pull secrets ("
                + String.join(", ", missing)
                + "); attempting to pull the image may not succeed.");
      }
      List<AuthConfig> attempts = new ArrayList<>();
      keyring.forEach(
          k ->
              attempts.add(
                  AuthConfig.newBuilder().setUsername(k.user()).setPassword(k.password()).build()));

      if (attempts.isEmpty()) {
        attempts.add(null);
      }
      for (AuthConfig auth : attempts) {
        PullImageRequest.Builder request =
            PullImageRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(imageRef))
                .setSandboxConfig(sandboxConfig);
        if (auth != null) {
          request.setAuth(auth);
        }
        try {
          pulled = kubelet.cri().pullImage(request.build()).getImageRef();
          break;
        } catch (CriException e) {
          error = e.getMessage();
        }
      }
      if (pulled == null) {
        c.waitingReason = "ErrImagePull";
        c.waitingMessage = error;
        c.failedAt = now;
        c.pullBackOff =
            c.pullBackOff == null
                ? FIRST_BACK_OFF
                : c.pullBackOff.multipliedBy(2).compareTo(MAX_BACK_OFF) > 0
                    ? MAX_BACK_OFF
                    : c.pullBackOff.multipliedBy(2);
        c.retryAt = now.plus(c.pullBackOff);
        event(
            pod,
            c,
            EventRecorder.WARNING,
            "Failed",
            "Failed to pull image \"" + image + "\": " + error);
        event(pod, c, EventRecorder.WARNING, "Failed", "Error: ErrImagePull");
        return;
      }
      c.pullBackOff = null;
      long ms = Duration.ofNanos(System.nanoTime() - began).toMillis();
      c.imageRef = pulled;
      event(
          pod,
          c,
          EventRecorder.NORMAL,
          "Pulled",
          "Successfully pulled image \""
              + image
              + "\" in "
              + ms
              + "ms ("
              + ms
              + "ms including waiting)");
    }
    c.runtimeImage = imageRef;
    List<KeyValue> env;
    try {
      env = env(pod, c.spec);
    } catch (IllegalStateException e) {
      c.waitingReason = "CreateContainerConfigError";
      c.waitingMessage = e.getMessage();
      c.retryAt = now.plusSeconds(5);
      event(pod, c, EventRecorder.WARNING, "Failed", "Error: " + e.getMessage());
      return;
    }
    String logPath = c.name + "/" + c.attempt + ".log";
    try {
      Files.createDirectories(Path.of(sandboxConfig.getLogDirectory(), c.name));
    } catch (IOException e) {
      LOG.debug("log folder of {}: {}", c.name, e.getMessage());
    }
    ContainerConfig.Builder config =
        ContainerConfig.newBuilder()
            .setMetadata(ContainerMetadata.newBuilder().setName(c.name).setAttempt(c.attempt))
            .setImage(ImageSpec.newBuilder().setImage(c.imageRef.isEmpty() ? imageRef : c.imageRef))
            .addAllCommand(c.spec.getCommand() == null ? List.of() : c.spec.getCommand())
            .addAllArgs(c.spec.getArgs() == null ? List.of() : c.spec.getArgs())
            .addAllEnvs(env)
            .setLogPath(logPath)
            .setStdin(Boolean.TRUE.equals(c.spec.getStdin()))
            .setStdinOnce(Boolean.TRUE.equals(c.spec.getStdinOnce()))
            .setTty(Boolean.TRUE.equals(c.spec.getTty()))
            .putLabels("io.kubernetes.container.name", c.name)
            .putLabels("io.kubernetes.pod.name", name)
            .putLabels("io.kubernetes.pod.namespace", namespace)
            .putLabels("io.kubernetes.pod.uid", uid)
            .setLinux(linux(pod, c.spec));
    if (c.spec.getWorkingDir() != null && !c.spec.getWorkingDir().isEmpty()) {
      config.setWorkingDir(c.spec.getWorkingDir());
    }
    String id;
    try {
      id =
          kubelet
              .cri()
              .createContainer(
                  CreateContainerRequest.newBuilder()
                      .setPodSandboxId(sandboxId)
                      .setConfig(config)
                      .setSandboxConfig(sandboxConfig)
                      .build());
    } catch (CriException e) {
      failStart(pod, c, now, "CreateContainerError", e.getMessage());
      return;
    }
    event(pod, c, EventRecorder.NORMAL, "Created", "Created container: " + c.name);
    String previous = c.id;
    c.id = id;
    c.attempt++;
    kubelet.logs().restart(namespace, name, c.name);
    c.tail =
        new CriLogTail(
            Path.of(sandboxConfig.getLogDirectory(), logPath),
            namespace,
            name,
            c.name,
            kubelet.logs());
    try {
      kubelet.cri().startContainer(id);
    } catch (CriException e) {
      failStart(pod, c, now, "RunContainerError", e.getMessage());
      return;
    }
    event(pod, c, EventRecorder.NORMAL, "Started", "Started container " + c.name);
    c.waitingReason = null;
    c.waitingMessage = null;
    c.retryAt = null;
    c.runningSince = now;
    c.readiness.next = null;
    c.readiness.successes = 0;
    c.readiness.failures = 0;
    c.started = false;
    c.ready = false;
    if (previous != null) {
      kubelet.removeQuietly(previous); // its output stays in PodLogs for --previous
    }
  }

  private void failStart(Pod pod, Ctr c, Instant now, String reason, String message) {
    c.waitingReason = reason;
    c.waitingMessage = message;
    c.backOff = c.backOff == null ? FIRST_BACK_OFF : c.backOff;
    c.retryAt = now.plus(c.backOff);
    event(pod, c, EventRecorder.WARNING, "Failed", "Error: " + message);
  }

  private LinuxContainerConfig linux(Pod pod, Container spec) {
    LinuxContainerResources.Builder resources = LinuxContainerResources.newBuilder();
    if (spec.getResources() != null && spec.getResources().getLimits() != null) {
      Quantity memory = spec.getResources().getLimits().get("memory");
      if (memory != null) {
        resources.setMemoryLimitInBytes(Quantity.getAmountInBytes(memory).longValue());
      }
      Quantity cpu = spec.getResources().getLimits().get("cpu");
      if (cpu != null) {
        long millis = Quantity.getAmountInBytes(cpu).movePointRight(3).longValue();
        resources.setCpuPeriod(100_000).setCpuQuota(Math.max(1000, millis * 100));
      }
    }
    LinuxContainerSecurityContext.Builder security =
        LinuxContainerSecurityContext.newBuilder()
            .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER));
    Long user =
        spec.getSecurityContext() != null && spec.getSecurityContext().getRunAsUser() != null
            ? spec.getSecurityContext().getRunAsUser()
            : pod.getSpec().getSecurityContext() != null
                ? pod.getSpec().getSecurityContext().getRunAsUser()
                : null;
    if (user != null) {
      security.setRunAsUser(Int64Value.newBuilder().setValue(user));
    }
    return LinuxContainerConfig.newBuilder()
        .setResources(resources)
        .setSecurityContext(security)
        .build();
  }

  /** The container's environment: envFrom, then env (which wins), values resolved now. */
  private List<KeyValue> env(Pod pod, Container spec) {
    Map<String, String> env = new LinkedHashMap<>();
    if (spec.getEnvFrom() != null) {
      for (EnvFromSource from : spec.getEnvFrom()) {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        if (from.getConfigMapRef() != null) {
          boolean optional = Boolean.TRUE.equals(from.getConfigMapRef().getOptional());
          Map<String, String> data = configMap(from.getConfigMapRef().getName(), optional);
          data.forEach((k, v) -> env.put(prefix + k, v));
        }
        if (from.getSecretRef() != null) {
          boolean optional = Boolean.TRUE.equals(from.getSecretRef().getOptional());
          Map<String, String> data = secret(from.getSecretRef().getName(), optional);
          data.forEach((k, v) -> env.put(prefix + k, v));
        }
      }
    }
    if (spec.getEnv() != null) {
      for (EnvVar var : spec.getEnv()) {
        if (var.getValueFrom() == null) {
          env.put(var.getName(), expand(var.getValue() == null ? "" : var.getValue(), env));
          continue;
        }
        var from = var.getValueFrom();
        String value = null;
        if (from.getConfigMapKeyRef() != null) {
          var ref = from.getConfigMapKeyRef();
          boolean optional = Boolean.TRUE.equals(ref.getOptional());
          value = configMap(ref.getName(), optional).get(ref.getKey());
          if (value == null && !optional && !configMap(ref.getName(), true).isEmpty()) {
            throw new IllegalStateException(
                "couldn't find key "
                    + ref.getKey()
                    + " in ConfigMap "
                    + namespace
                    + "/"
                    + ref.getName());
          }
        } else if (from.getSecretKeyRef() != null) {
          var ref = from.getSecretKeyRef();
          boolean optional = Boolean.TRUE.equals(ref.getOptional());
          value = secret(ref.getName(), optional).get(ref.getKey());
          if (value == null && !optional) {
            throw new IllegalStateException(
                "couldn't find key "
                    + ref.getKey()
                    + " in Secret "
                    + namespace
                    + "/"
                    + ref.getName());
          }
        } else if (from.getFieldRef() != null) {
          value =
              switch (from.getFieldRef().getFieldPath()) {
                case "metadata.name" -> name;
                case "metadata.namespace" -> namespace;
                case "metadata.uid" -> uid;
                case "status.podIP" -> podIp;
                case "status.hostIP" -> Node.IP;
                case "spec.nodeName" -> Node.NAME;
                case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
                default -> "";
              };
        }
        if (value != null) {
          env.put(var.getName(), value);
        }
      }
    }
    List<KeyValue> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(KeyValue.newBuilder().setKey(k).setValue(v).build()));
    return out;
  }

  /** {@code $(NAME)} of a variable defined before, as the kubelet expands them. */
  private static String expand(String value, Map<String, String> env) {
    if (!value.contains("$(")) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      if (value.startsWith("$$", i)) {
        out.append('$');
        i += 2;
      } else if (value.startsWith("$(", i) && value.indexOf(')', i) > 0) {
        int end = value.indexOf(')', i);
        String ref = value.substring(i + 2, end);
        out.append(env.containsKey(ref) ? env.get(ref) : "$(" + ref + ")");
        i = end + 1;
      } else {
        out.append(value.charAt(i++));
      }
    }
    return out.toString();
  }

  private Map<String, String> configMap(String configMap, boolean optional) {
    ConfigMap found;
    try {
      found = kubelet.client().configMaps().inNamespace(namespace).withName(configMap).get();
    } catch (KubernetesClientException e) {
      found = null;
    }
    if (found == null) {
      if (optional) {
        return Map.of();
      }
      throw new IllegalStateException("configmap \"" + configMap + "\" not found");
    }
    return found.getData() == null ? Map.of() : found.getData();
  }

  private Map<String, String> secret(String secret, boolean optional) {
    Secret found;
    try {
      found = kubelet.client().secrets().inNamespace(namespace).withName(secret).get();
    } catch (KubernetesClientException e) {
      found = null;
    }
    if (found == null) {
      if (optional) {
        return Map.of();
      }
      throw new IllegalStateException("secret \"" + secret + "\" not found");
    }
    Map<String, String> data = new LinkedHashMap<>();
    if (found.getData() != null) {
      found
          .getData()
          .forEach(
              (k, v) ->
                  data.put(
                      k, new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (found.getStringData() != null) {
      data.putAll(found.getStringData());
    }
    return data;
  }

  // ---------------------------------------------------------------------------------------------

  private void writeStatus(Pod pod, Instant now) {
    List<io.fabric8.kubernetes.api.model.ContainerStatus> initStatuses = new ArrayList<>();
    boolean waitingSeen = false;
    for (Ctr c : init) {
      initStatuses.add(status(c, waitingSeen));
      waitingSeen |= !c.succeeded();
    }
    boolean initialized = !waitingSeen;
    List<io.fabric8.kubernetes.api.model.ContainerStatus> appStatuses = new ArrayList<>();
    for (Ctr c : app) {
      appStatuses.add(status(c, !initialized));
    }
    PodStatus status = PodStatuses.of(pod, initStatuses, appStatuses, podIp, startTime, now);
    if (podIp == null) {
      status.setPodIP(null);
      status.setPodIPs(List.of());
    }
    boolean allExited = app.stream().allMatch(c -> c.terminated != null && !c.restartPending);
    if (failed || (allExited && app.stream().anyMatch(c -> c.exitCode != 0))) {
      status.setPhase("Failed");
    }
    if (!KubeJson.same(status, pod.getStatus())) {
      Pod updated = KubeJson.copy(pod);
      updated.setStatus(status);
      try {
        kubelet.client().pods().resource(updated).updateStatus();
      } catch (KubernetesClientException e) {
        LOG.debug("status of {}/{}: {}", namespace, name, e.getMessage());
      }
    }
  }

  private io.fabric8.kubernetes.api.model.ContainerStatus status(Ctr c, boolean podInitializing) {
    io.fabric8.kubernetes.api.model.ContainerState state;
    if (c.terminated != null && !c.restartPending) {
      state = c.terminated;
    } else if (c.waitingReason != null || c.restartPending || c.runningSince == null) {
      String reason =
          c.waitingReason == null
              ? (podInitializing ? "PodInitializing" : "ContainerCreating")
              : c.waitingReason;
      if (podInitializing && c.id == null && "ContainerCreating".equals(reason)) {
        reason = "PodInitializing";
      }
      state = PodStatuses.waiting(reason, c.waitingMessage);
    } else {
      state = PodStatuses.running(c.runningSince);
    }
    boolean running = state.getRunning() != null;
    io.fabric8.kubernetes.api.model.ContainerStatus status =
        PodStatuses.containerStatus(
            c.name,
            c.runtimeImage,
            c.imageRef,
            c.id == null ? null : "containerd://" + c.id,
            state,
            c.init ? c.succeeded() : running && c.ready,
            c.init ? null : running && c.started,
            c.restarts);
    if (c.restartPending && c.terminated != null) {
      status.setLastState(c.terminated);
    } else if (c.lastState != null) {
      status.setLastState(c.lastState);
    }
    return status;
  }

  private void event(Pod pod, Ctr c, String type, String reason, String message) {
    kubelet
        .events()
        .record(pod, c == null ? null : c.fieldPath(), type, reason, message, COMPONENT);
  }

  private static String timestamp(Instant time) {
    return dev.grove.sandbox.cluster.ClusterState.timestamp(time);
  }

  private static String seconds(Duration d) {
    return d.toMinutes() >= 1 && d.toSecondsPart() == 0
        ? d.toMinutes() + "m0s"
        : d.toSeconds() >= 60 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSeconds() + "s";
  }
}
