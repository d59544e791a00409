package dev.grove.actions.kube;

import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.DeployLogs;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Optional;

/**
 * The logs capability of a Kubernetes Deploy handler: where the pods of what it deployed are, for
 * {@code grove logs}. Blocks like the handler's other operations.
 */
public interface Workloads extends DeployLogs {

  /** The workloads the action's inventory names, with their pod selectors, as they are now. */
  Found workloads(ActionContext context) throws ActionException;

  @Override
  default Optional<Pods> pods(ActionContext context) throws ActionException {
    return Optional.of(new KubePods(context.ref().toString(), workloads(context)));
  }

  /**
   * What a Deploy has running.
   *
   * @param deployedVersion the version its inventory records; null when it never deployed here
   * @param workloads its Deployments, StatefulSets, DaemonSets, Jobs and ReplicaSets
   */
  record Found(
      KubeCluster cluster, String namespace, String deployedVersion, List<Workload> workloads) {
    public Found {
      workloads = List.copyOf(workloads);
    }
  }

  /** A workload and the selector of its pods. */
  record Workload(String kind, String name, LabelSelector selector) {}
}
