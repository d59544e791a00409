package dev.grove.sandbox.controller;

import dev.grove.sandbox.cluster.ClusterState;
import dev.grove.sandbox.cluster.KubeJson;
import dev.grove.sandbox.cluster.Node;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates the pods workload controllers make from their templates, as the API server admits them:
 * the template's labels and annotations plus the controller's, owned by the controller, with the
 * service account admission's defaults (serviceAccountName {@code default}; the service account's
 * imagePullSecrets when the pod names none) and bound to the sandbox's one node.
 */
final class PodFactory {

  private final KubernetesClient client;

  PodFactory(KubernetesClient client) {
    this.client = client;
  }

  Pod create(
      ClusterState state,
      String name,
      HasMetadata owner,
      PodTemplateSpec template,
      Map<String, String> extraLabels,
      Map<String, String> extraAnnotations) {
    String namespace = owner.getMetadata().getNamespace();
    ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    Map<String, String> labels = new LinkedHashMap<>();
    if (meta.getLabels() != null) {
      labels.putAll(meta.getLabels());
    }
    labels.putAll(extraLabels);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (meta.getAnnotations() != null) {
      annotations.putAll(meta.getAnnotations());
    }
    annotations.putAll(extraAnnotations);
    PodSpec spec = KubeJson.copy(template.getSpec() == null ? new PodSpec() : template.getSpec());
    admit(state, namespace, spec);
    spec.setNodeName(Node.NAME);
    return client
        .pods()
        .inNamespace(namespace)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations)
                .withOwnerReferences(ClusterState.controllerReference(owner))
                .endMetadata()
                .withSpec(spec)
                .build())
        .create();
  }

  /** What the ServiceAccount admission plugin adds to a pod spec. */
  static void admit(ClusterState state, String namespace, PodSpec spec) {
    if (spec.getServiceAccountName() == null || spec.getServiceAccountName().isEmpty()) {
      spec.setServiceAccountName("default");
    }
    if (spec.getImagePullSecrets() == null || spec.getImagePullSecrets().isEmpty()) {
      Optional<ServiceAccount> account =
          state.serviceAccount(namespace, spec.getServiceAccountName());
      List<LocalObjectReference> secrets =
          account.map(ServiceAccount::getImagePullSecrets).orElse(List.of());
      if (secrets != null && !secrets.isEmpty()) {
        spec.setImagePullSecrets(new ArrayList<>(secrets));
      }
    }
  }
}
