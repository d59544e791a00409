package dev.grove.sandbox.controller;

import dev.grove.sandbox.cluster.ClusterState;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * What a fresh cluster has and the serviceaccount controller keeps: the {@code default}, {@code
 * kube-system}, {@code kube-public} and {@code kube-node-lease} namespaces, and a {@code default}
 * ServiceAccount in every namespace.
 */
public final class NamespaceController {

  static final List<String> SYSTEM_NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private final KubernetesClient client;

  NamespaceController(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the namespaces a cluster starts with. */
  public void bootstrap() {
    for (String name : SYSTEM_NAMESPACES) {
      if (client.namespaces().withName(name).get() == null) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
      }
    }
  }

  public void reconcile(ClusterState state, Namespace namespace) {
    String name = namespace.getMetadata().getName();
    if (namespace.getMetadata().getDeletionTimestamp() != null
        || state.serviceAccount(name, "default").isPresent()) {
      return;
    }
    client
        .serviceAccounts()
        .inNamespace(name)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("default")
                .withNamespace(name)
                .endMetadata()
                .build())
        .create();
  }
}
