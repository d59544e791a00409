package dev.grove.actions.deploy.exec;

import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.spi.DeployLogs;
import dev.grove.actions.spi.LogReaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A persistent exec Deploy's process as {@code grove logs} reads pods: one pod named after the
 * action, with one container, {@value #CONTAINER}, whose log is the process's output. Its {@link
 * #namespace()} is the process's key; a redeploy's new process is the same pod with a new container
 * id, so that followers read it at once.
 */
final class ExecPods implements DeployLogs.Pods {
  /** The {@link dev.grove.actions.spi.LogSource#cluster()} of exec processes. */
  static final String CLUSTER = "exec";

  /** The container name of an exec process's output. */
  static final String CONTAINER = "exec";

  private final PersistentProcesses processes;
  private final String key;
  private final String name;
  private final String version;

  /**
   * @param name the action's name: the pod's
   * @param version the version of the process found
   */
  ExecPods(PersistentProcesses processes, String key, String name, String version) {
    this.processes = processes;
    this.key = key;
    this.name = name;
    this.version = version;
  }

  @Override
  public String cluster() {
    return CLUSTER;
  }

  @Override
  public String context() {
    return CLUSTER;
  }

  @Override
  public String namespace() {
    return key;
  }

  @Override
  public String deployedVersion() {
    return version;
  }

  @Override
  public List<String> workloads() {
    return List.of("process");
  }

  @Override
  public List<DeployLogs.Pod> list() {
    return List.of(pod());
  }

  private DeployLogs.Pod pod() {
    String id =
        processes.get(key).map(running -> Long.toString(running.pid())).orElse("not running");
    // created unknown: the process counts as there when a follow began, its lines as history
    return new DeployLogs.Pod(
        name, null, List.of(new DeployLogs.Container(CONTAINER, id, true, null, false)));
  }

  /** The process's kept lines; it keeps few enough that {@code limitBytes} never cuts them. */
  @Override
  public DeployLogs.Log read(
      String pod, String container, Long sinceSeconds, Integer tail, int limitBytes) {
    List<PersistentProcesses.Line> kept = new ArrayList<>();
    Instant cutoff = sinceSeconds == null ? null : Instant.now().minusSeconds(sinceSeconds);
    for (PersistentProcesses.Line line :
        processes.get(key).map(PersistentProcesses.Running::lines).orElse(List.of())) {
      if (cutoff == null || !line.time().isBefore(cutoff)) {
        kept.add(line);
      }
    }
    if (tail != null && kept.size() > tail) {
      kept = kept.subList(kept.size() - tail, kept.size());
    }
    return new DeployLogs.Log(
        kept.stream().map(line -> new LogReaders.Stamped(line.time(), line.text())).toList(),
        false);
  }

  /** The pod now, and again each time a redeploy replaces the process; it never goes. */
  @Override
  public DeployLogs.Watch watch(Consumer<DeployLogs.Pod> changed, Consumer<String> gone) {
    PersistentProcesses.Subscription started =
        processes.onStart(
            startedKey -> {
              if (startedKey.equals(key)) {
                changed.accept(pod());
              }
            });
    changed.accept(pod());
    return started::cancel;
  }

  @Override
  public LogReaders readers() {
    return new ExecLogReaders(processes);
  }
}
