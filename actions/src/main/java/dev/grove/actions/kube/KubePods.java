package dev.grove.actions.kube;

import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.DeployLogs;
import dev.grove.actions.spi.LogReaders;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Loggable;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The pods of a Kubernetes Deploy's workloads, through the Kubernetes API. */
final class KubePods implements DeployLogs.Pods {
  private final String action;
  private final Workloads.Found found;
  private final KubernetesClient client;

  KubePods(String action, Workloads.Found found) {
    this.action = action;
    this.found = found;
    this.client = found.cluster().client();
  }

  @Override
  public String cluster() {
    KubeConfigResolver.Target target = found.cluster().target();
    return target.kubeconfig() + "#" + target.context();
  }

  @Override
  public String context() {
    return found.cluster().target().context();
  }

  @Override
  public String namespace() {
    return found.namespace();
  }

  @Override
  public String deployedVersion() {
    return found.deployedVersion();
  }

  @Override
  public List<String> workloads() {
    return found.workloads().stream().map(KubePods::describe).toList();
  }

  @Override
  public List<DeployLogs.Pod> list() throws ActionException {
    Map<String, io.fabric8.kubernetes.api.model.Pod> pods = new TreeMap<>();
    for (Workloads.Workload workload : found.workloads()) {
      try {
        for (io.fabric8.kubernetes.api.model.Pod pod :
            client
                .pods()
                .inNamespace(namespace())
                .withLabelSelector(workload.selector())
                .list()
                .getItems()) {
          pods.put(pod.getMetadata().getName(), pod);
        }
      } catch (KubernetesClientException e) {
        throw failure("list the pods of " + describe(workload), e);
      }
    }
    return pods.values().stream().map(KubePods::pod).toList();
  }

  @Override
  public DeployLogs.Log read(
      String pod, String container, Long sinceSeconds, Integer tail, int limitBytes)
      throws ActionException, DeployLogs.NoLog {
    String text = text(pod, container, sinceSeconds, tail, limitBytes);
    boolean cut =
        text.length() >= limitBytes / 4
            && text.getBytes(StandardCharsets.UTF_8).length >= limitBytes;
    Instant now = Instant.now();
    List<LogReaders.Stamped> lines = new ArrayList<>();
    text.lines()
        .forEach(
            line ->
                LogLines.parse(
                    line, now, (time, body) -> lines.add(new LogReaders.Stamped(time, body))));
    return new DeployLogs.Log(lines, cut);
  }

  /** The container's log as the API gives it, each line stamped. */
  private String text(String pod, String container, Long sinceSeconds, Integer tail, int limitBytes)
      throws ActionException, DeployLogs.NoLog {
    try {
      TimeTailPrettyLoggable limited =
          client
              .pods()
              .inNamespace(namespace())
              .withName(pod)
              .inContainer(container)
              .usingTimestamps()
              .limitBytes(limitBytes);
      TailPrettyLoggable timed =
          sinceSeconds == null
              ? limited
              : limited.sinceSeconds((int) Math.min(Integer.MAX_VALUE, sinceSeconds));
      Loggable loggable = tail == null ? timed : timed.tailingLines(tail);
      return loggable.getLog();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 400 || e.getCode() == 404) {
        throw new DeployLogs.NoLog(
            e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage());
      }
      throw failure("read the log of pod " + pod, e);
    }
  }

  @Override
  public DeployLogs.Watch watch(Consumer<DeployLogs.Pod> changed, Consumer<String> gone)
      throws ActionException {
    List<SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod>> informers = new ArrayList<>();
    ResourceEventHandler<io.fabric8.kubernetes.api.model.Pod> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(io.fabric8.kubernetes.api.model.Pod pod) {
            sync(pod);
          }

          @Override
          public void onUpdate(
              io.fabric8.kubernetes.api.model.Pod before, io.fabric8.kubernetes.api.model.Pod pod) {
            sync(pod);
          }

          @Override
          public void onDelete(io.fabric8.kubernetes.api.model.Pod pod, boolean unknown) {
            gone.accept(pod.getMetadata().getName());
          }

          private void sync(io.fabric8.kubernetes.api.model.Pod pod) {
            if (pod.getStatus() != null) { // no containers to read yet
              changed.accept(pod(pod));
            }
          }
        };
    try {
      for (Workloads.Workload workload : found.workloads()) {
        informers.add(
            client
                .pods()
                .inNamespace(namespace())
                .withLabelSelector(workload.selector())
                .inform(handler, 0));
      }
    } catch (KubernetesClientException e) {
      informers.forEach(SharedIndexInformer::stop);
      throw failure("watch the pods of " + action, e);
    }
    return () -> informers.forEach(SharedIndexInformer::stop);
  }

  @Override
  public LogReaders readers() {
    return new KubeLogReaders(client);
  }

  private ActionException failure(String what, KubernetesClientException e) {
    return KubeClients.failure(found.cluster().target(), what, e);
  }

  private static String describe(Workloads.Workload workload) {
    return workload.kind() + "/" + workload.name();
  }

  static DeployLogs.Pod pod(io.fabric8.kubernetes.api.model.Pod pod) {
    List<DeployLogs.Container> containers = new ArrayList<>();
    if (pod.getStatus() != null) {
      for (ContainerStatus status :
          Stream.concat(
                  pod.getStatus().getInitContainerStatuses().stream(),
                  pod.getStatus().getContainerStatuses().stream())
              .toList()) {
        boolean waiting = status.getState() != null && status.getState().getWaiting() != null;
        containers.add(
            new DeployLogs.Container(
                status.getName(),
                status.getContainerID(),
                hasLog(status),
                waiting ? String.valueOf(status.getState().getWaiting().getReason()) : null,
                finishedForGood(pod, status)));
      }
    }
    return new DeployLogs.Pod(pod.getMetadata().getName(), created(pod), containers);
  }

  static boolean hasLog(ContainerStatus status) {
    return (status.getState() != null
            && (status.getState().getRunning() != null
                || status.getState().getTerminated() != null))
        || (status.getLastState() != null && status.getLastState().getTerminated() != null);
  }

  /** Terminated, and the pod's restart policy will not start it again. */
  static boolean finishedForGood(io.fabric8.kubernetes.api.model.Pod pod, ContainerStatus status) {
    if (status.getState() == null || status.getState().getTerminated() == null) {
      return false;
    }
    String policy = pod.getSpec() == null ? null : pod.getSpec().getRestartPolicy();
    Integer exit = status.getState().getTerminated().getExitCode();
    return "Never".equals(policy) || ("OnFailure".equals(policy) && exit != null && exit == 0);
  }

  private static Instant created(io.fabric8.kubernetes.api.model.Pod pod) {
    String created = pod.getMetadata().getCreationTimestamp();
    if (created == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(created).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
