package dev.grove.sandbox.kubelet;

import dev.grove.sandbox.cluster.ClusterState;
import java.time.Instant;
import java.util.Optional;

/**
 * The kubelet of the sandbox's node as the controllers' loop drives it: the simulated one ({@link
 * Kubelet}) or the one that runs pods on containerd through CRI ({@link CriKubelet}).
 */
public interface NodeKubelet extends AutoCloseable {

  /** Registers the node, Ready. */
  void registerNode(Instant now);

  /** Whether the loop should turn soon: something changes with time rather than in the cluster. */
  boolean waiting();

  /** Runs the pods of this turn's state (called on the loop's thread; never blocks long). */
  void reconcile(ClusterState state);

  /** The streaming side (exec, attach, port-forward), when containers are real. */
  default Optional<PodStreams> streams() {
    return Optional.empty();
  }

  @Override
  default void close() {}
}
