package dev.grove.actions.spi;

import dev.grove.api.error.ErrorCodes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The logs capability of a Deploy handler ({@code grove logs}): where the pods of what it deployed
 * are, their containers' logs read once or followed. A Kubernetes Deploy's pods are in its cluster;
 * a persistent exec Deploy's process is one "pod" in the daemon. Blocks like the handler's other
 * operations.
 */
public interface DeployLogs {

  /**
   * The Deploy's pods as it knows them now (a Kubernetes Deploy: as its inventory names them;
   * opening the cluster may say things); empty when this action runs nothing whose output is read
   * here (a non-persistent exec Deploy: its output is in the log of its deploy).
   *
   * @throws NotRunning when what it runs is read here but does not run now
   */
  Optional<Pods> pods(ActionContext context) throws ActionException;

  /**
   * A Deploy's pods in one namespace of one cluster. Failures are {@link ActionException}s naming
   * the cluster and the action.
   */
  interface Pods {
    /** The cluster's identity in {@link LogSource}s: kubeconfig and context. */
    String cluster();

    /** The kubeconfig context, for messages. */
    String context();

    String namespace();

    /** The version the inventory records; null when the Deploy never deployed here. */
    String deployedVersion();

    /** Its workloads, as {@code Deployment/web}; empty when it deployed none. */
    List<String> workloads();

    /** Every workload's pods as they are now, by name. */
    List<Pod> list() throws ActionException;

    /**
     * What a container logged so far, each line with its time, oldest first.
     *
     * @param sinceSeconds only lines this recent; null for all
     * @param tail the last lines only; null for all
     * @param limitBytes the most of the log taken
     * @throws NoLog when the container has no log to read (not started, pod gone)
     */
    Log read(String pod, String container, Long sinceSeconds, Integer tail, int limitBytes)
        throws ActionException, NoLog;

    /**
     * Watches the workloads' pods: {@code changed} gets each pod as it is added or changes, {@code
     * gone} the name of each pod deleted, from any thread. Blocks for the first list of them.
     */
    Watch watch(Consumer<Pod> changed, Consumer<String> gone) throws ActionException;

    /** Reads and follows this cluster's container logs. */
    LogReaders readers();
  }

  /**
   * What a container logged.
   *
   * @param cut the log was longer than the limit: these are its first lines only
   */
  record Log(List<LogReaders.Stamped> lines, boolean cut) {
    public Log {
      lines = List.copyOf(lines);
    }
  }

  /** Stops a {@link Pods#watch}. */
  @FunctionalInterface
  interface Watch {
    void stop();
  }

  /**
   * A pod and its containers, init containers first.
   *
   * @param created when it was created; null when unknown
   */
  record Pod(String name, Instant created, List<Container> containers) {
    public Pod {
      containers = List.copyOf(containers);
    }
  }

  /**
   * A container of a pod.
   *
   * @param id the runtime's id, which changes when it restarts
   * @param hasLog it started (running or not), so it has a log
   * @param waiting why it has not started; null when it did
   * @param finished it terminated, and its pod's restart policy will not start it again
   */
  record Container(String name, String id, boolean hasLog, String waiting, boolean finished) {}

  /**
   * What the Deploy runs is read here, but it does not run now (a persistent exec Deploy's process
   * after a daemon restart or {@code grove delete}): {@code grove deploy} starts it.
   */
  final class NotRunning extends ActionException {
    private static final long serialVersionUID = 1L;

    /**
     * @param what what does not run, as {@code deploy.api's persistent process is not running in
     *     this daemon}: no full stop, the caller adds what to do
     */
    public NotRunning(String what) {
      super(ErrorCodes.NOT_DEPLOYED, what, "Start it with `grove deploy`.");
    }
  }

  /** The container has no log to read: the API's reason. */
  final class NoLog extends Exception {
    private static final long serialVersionUID = 1L;

    public NoLog(String reason) {
      super(reason);
    }
  }
}
