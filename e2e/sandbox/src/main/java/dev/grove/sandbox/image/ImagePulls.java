package dev.grove.sandbox.image;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whether the node can pull a container's image, as the container runtime would answer the kubelet.
 * The sandbox tool's answer asks the image's registry for real with the pod's pull secrets (it has
 * the product's registry client, which the simulation may not depend on).
 */
@FunctionalInterface
public interface ImagePulls {

  /**
   * Pulls {@code image} for {@code pod}; blocking, the kubelet calls it on its pull threads.
   *
   * @param api the kubelet's client, to read the pod's pull secrets and service account
   */
  Result pull(KubernetesClient api, Pod pod, ImageReference image);

  /**
   * What a pull came to.
   *
   * @param digest the manifest digest when pulled
   * @param failure the runtime's error when not
   * @param assumed true when the image was taken as present without asking (docker.io)
   * @param missingSecrets pull secrets the pod names that do not exist
   */
  record Result(
      Optional<String> digest,
      Optional<String> failure,
      boolean assumed,
      Duration took,
      List<String> missingSecrets) {

    public Result {
      missingSecrets = List.copyOf(missingSecrets);
    }

    public boolean pulled() {
      return digest.isPresent();
    }
  }
}
