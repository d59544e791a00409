package dev.grove.actions.kube;

import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.DeployTarget;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a Kubernetes Deploy does with a cluster once its type rendered the objects: status, deploy
 * (namespaces with the provider's secrets, server-side apply, rollout wait), delete and the
 * workloads for logs. Both Deploy types ({@code container} and {@code kubernetes}) go through it.
 */
public final class KubeDeployer {
  private final KubeCluster.Opener clusters;
  private final Duration pollInterval;

  public KubeDeployer(KubeCluster.Opener clusters, Duration pollInterval) {
    this.clusters = clusters;
    this.pollInterval = pollInterval;
  }

  /** The Deploy's target; a context without one is a bug in the caller. */
  public static DeployTarget target(ActionContext context) throws ActionException {
    return KubeCluster.deployTarget(context);
  }

  /** See {@link KubeCluster#status}. */
  public ActionHandler.Status status(ActionContext context, String namespace, boolean waitForJobs)
      throws ActionException {
    return clusters.open(context).status(context, namespace, waitForJobs, pollInterval);
  }

  /**
   * Creates {@code namespace} and every other namespace the objects name, copies the provider's
   * {@code imagePullSecrets} and {@code copySecrets} into each (as Garden does since 0.13.50),
   * applies the objects with the action's inventory in {@code namespace}, and waits for the
   * rollout.
   */
  public void deploy(
      ActionContext context,
      String namespace,
      List<Map<String, Object>> objects,
      boolean waitForJobs)
      throws ActionException {
    Set<String> namespaces = new LinkedHashSet<>();
    namespaces.add(namespace);
    for (Map<String, Object> object : objects) {
      if (object.get("metadata") instanceof Map<?, ?> metadata
          && metadata.get("namespace") instanceof String ns) {
        namespaces.add(ns);
      }
    }
    KubeCluster cluster = clusters.open(context);
    KubernetesProvider provider = context.kubernetes();
    for (String ns : namespaces) {
      ensureNamespace(cluster, provider, ns);
      SecretCopier.copy(cluster.client(), cluster.target(), provider.secretsToCopy(), ns);
    }
    cluster.applyAndWait(context, namespace, objects, waitForJobs, pollInterval);
  }

  /**
   * Creates the namespace when missing; the app namespace gets the labels and annotations of the
   * provider's {@code namespace: {name, labels, annotations}}.
   */
  private static void ensureNamespace(
      KubeCluster cluster, KubernetesProvider provider, String namespace) throws ActionException {
    var settings = provider.namespaceSettings(namespace);
    cluster
        .applier()
        .ensureNamespace(
            namespace,
            settings.map(KubernetesProvider.Namespace::labels).orElse(Map.of()),
            settings.map(KubernetesProvider.Namespace::annotations).orElse(Map.of()));
  }

  /** See {@link KubeCluster#deleteAction}. */
  public void delete(ActionContext context, String namespace) throws ActionException {
    clusters.open(context).deleteAction(context, namespace);
  }

  /** See {@link KubeCluster#workloads}. */
  public Workloads.Found workloads(ActionContext context, String namespace) throws ActionException {
    return clusters.open(context).workloads(context.ref().toString(), namespace);
  }
}
