package dev.grove.actions.kube;

import static dev.grove.actions.spi.ActionCodes.SECRET_NOT_FOUND;

import dev.grove.actions.provider.SecretRef;
import dev.grove.actions.spi.ActionException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * Copies the provider's {@code imagePullSecrets} and {@code copySecrets} from their namespace
 * (default {@code default}) into the app namespace, as Garden does: name, labels, annotations, type
 * and data only.
 */
public final class SecretCopier {

  private SecretCopier() {}

  public static void copy(
      KubernetesClient client,
      KubeConfigResolver.Target target,
      List<SecretRef> refs,
      String namespace)
      throws ActionException {
    for (SecretRef ref : refs) {
      Secret source;
      try {
        source = client.secrets().inNamespace(ref.namespace()).withName(ref.name()).get();
      } catch (KubernetesClientException e) {
        throw KubeClients.failure(target, "read the secret " + ref.name(), e);
      }
      if (source == null) {
        throw new ActionException(
            SECRET_NOT_FOUND,
            "Could not find secret '" + ref.name() + "' in namespace '" + ref.namespace() + "'.",
            "Create it there (e.g. `kubectl create secret docker-registry "
                + ref.name()
                + " -n "
                + ref.namespace()
                + " ...`), or fix the kubernetes provider's imagePullSecrets/copySecrets entry.");
      }
      if (ref.namespace().equals(namespace)) {
        continue;
      }
      Secret copy =
          new SecretBuilder()
              .withNewMetadata()
              .withName(ref.name())
              .withNamespace(namespace)
              .withLabels(source.getMetadata().getLabels())
              .withAnnotations(source.getMetadata().getAnnotations())
              .endMetadata()
              .withType(source.getType())
              .withData(source.getData())
              .build();
      try {
        client
            .resource(copy)
            .fieldManager(KubeApplier.FIELD_MANAGER)
            .forceConflicts()
            .serverSideApply();
      } catch (KubernetesClientException e) {
        throw KubeClients.failure(target, "copy the secret " + ref.name() + " to " + namespace, e);
      }
    }
  }
}
