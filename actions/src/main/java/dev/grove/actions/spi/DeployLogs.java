package dev.grove.actions.spi;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The logs capability of a Deploy handler ({@code grove logs}): where the pods of what it deployed
 * are, their containers' logs read once or followed. Blocks like the handler's other operations.
 */
public interface DeployLogs {

  /** The Deploy's pods as its inventory names them now; opening the cluster may say things. */
  Pods pods(ActionContext context) throws ActionException;

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
     * What a container logged so far, each line stamped with its time.
     *
     * @param sinceSeconds only lines this recent; null for all
     * @param tail the last lines only; null for all
     * @param limitBytes the most of the log taken
     * @throws NoLog when the container has no log to read (not started, pod gone)
     */
    String read(String pod, String container, Long sinceSeconds, Integer tail, int limitBytes)
        throws ActionException, NoLog;

    /**
     * Watches the workloads' pods: {@code changed} gets each pod as it is added or changes, {@code
     * gone} the name of each pod deleted, from any thread. Blocks for the first list of them.
     */
    Watch watch(Consumer<Pod> changed, Consumer<String> gone) throws ActionException;

    /** Reads and follows this cluster's container logs. */
    LogReaders readers();
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

  /** The container has no log to read: the API's reason. */
  final class NoLog extends Exception {
    private static final long serialVersionUID = 1L;

    public NoLog(String reason) {
      super(reason);
    }
  }
}
