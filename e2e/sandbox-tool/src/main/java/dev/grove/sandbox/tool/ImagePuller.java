package dev.grove.sandbox.tool;

import dev.grove.actions.registry.RegistryAuth;
import dev.grove.actions.registry.RegistryStatus;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.sandbox.image.ImagePulls;
import dev.grove.sandbox.image.ImageReference;
import dev.grove.sandbox.image.PullCredentials;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a container's image can be pulled, for real: it asks the image's registry for the
 * manifest ({@code HEAD /v2/<repository>/manifests/<tag>}) with the credentials of the pod's image
 * pull secrets, as the kubelet hands them to the container runtime.
 *
 * <ul>
 *   <li>Credentials: the pod's {@code imagePullSecrets}, or when it has none, those of its service
 *       account (a pod made by a controller already carries them, as the ServiceAccount admission
 *       plugin adds them). Each secret entry for the image's registry host is tried in order; with
 *       none, the pull is anonymous. A named secret that does not exist is reported, and skipped.
 *   <li>Loopback registries (127.0.0.0/8, localhost, [::1]) are asked over plain http.
 *   <li>Other registries are not asked: the sandbox has no internet, so the pull fails with "the
 *       sandbox reaches only loopback registries".
 *   <li>Except docker.io, for convenience: examples use {@code nginx} or {@code busybox}, so Docker
 *       Hub images are taken as present without asking (the Pulled event and the container's log
 *       say so), and their digest is made up from the reference.
 * </ul>
 *
 * Every pull asks again (no image cache on the node): a pod without the right secret fails even
 * when another pod pulled the same image before, as with {@code imagePullPolicy: Always}.
 */
final class ImagePuller implements ImagePulls {

  private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);

  private final RegistryStatus registry;

  ImagePuller(RegistryStatus registry) {
    this.registry = registry;
  }

  @Override
  public Result pull(KubernetesClient client, Pod pod, ImageReference image) {
    long start = System.nanoTime();
    String failedTo =
        "failed to pull and unpack image \""
            + image.normalized()
            + "\": failed to resolve reference \""
            + image.normalized()
            + "\": ";
    if (image.isDockerHub()) {
      return new Result(
          Optional.of("sha256:" + sha256(image.normalized())),
          Optional.empty(),
          true,
          took(start),
          List.of());
    }
    if (!image.isLoopback()) {
      return failure(
          failedTo
              + "the sandbox reaches only loopback registries, not "
              + image.host()
              + " (it has no internet; push the image to the sandbox's registry)",
          start,
          List.of());
    }
    List<String> missing = new ArrayList<>();
    List<Secret> secrets = PullCredentials.secrets(client, pod, missing);
    List<RegistryAuth> keyring =
        PullCredentials.forHost(secrets, image.host()).stream()
            .map(c -> new RegistryAuth(c.user(), c.password(), c.source()))
            .toList();
    List<Optional<RegistryAuth>> attempts = new ArrayList<>();
    keyring.forEach(auth -> attempts.add(Optional.of(auth)));
    if (attempts.isEmpty()) {
      attempts.add(Optional.empty());
    }
    String error = "";
    for (Optional<RegistryAuth> auth : attempts) {
      try {
        Optional<String> digest =
            registry.digest(image.host(), image.repository(), image.reference(), auth, true);
        if (digest.isEmpty()
            && registry.tagExists(
                image.host(), image.repository(), image.reference(), auth, true)) {
          digest = Optional.of("sha256:" + sha256(image.normalized())); // no Docker-Content-Digest
        }
        if (digest.isPresent()) {
          LOG.info(
              "pulled {} for pod {}/{} ({})",
              image.normalized(),
              pod.getMetadata().getNamespace(),
              pod.getMetadata().getName(),
              auth.map(RegistryAuth::source).orElse("anonymous"));
          return new Result(digest, Optional.empty(), false, took(start), missing);
        }
        error = failedTo + image.normalized() + ": not found";
      } catch (ActionException e) {
        error = failedTo + explain(e, image);
      }
    }
    LOG.info(
        "could not pull {} for pod {}/{}: {}",
        image.normalized(),
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        error);
    return failure(error, start, missing);
  }

  /** The runtime's words for what the registry answered. */
  private static String explain(ActionException e, ImageReference image) {
    String head = "unexpected status from HEAD request to " + image.manifestUrl() + ": ";
    return switch (e.code()) {
      case ActionCodes.REGISTRY_UNAUTHORIZED -> head + "401 Unauthorized";
      case ActionCodes.REGISTRY_FORBIDDEN -> head + "403 Forbidden";
      case ActionCodes.REGISTRY_UNREACHABLE ->
          "failed to do request: Head \""
              + image.manifestUrl()
              + "\": dial tcp "
              + image.host()
              + ": "
              + why(e.getMessage());
      default -> e.getMessage();
    };
  }

  /**
   * Why a registry could not be reached, from RegistryStatus's message ("The registry H could not
   * be reached at URL: WHY; credentials: ..."); the whole message when it has another shape.
   */
  private static String why(String message) {
    int at = message.indexOf(" could not be reached at ");
    int colon = at < 0 ? -1 : message.indexOf(": ", at);
    int end = message.lastIndexOf("; credentials: ");
    return colon > 0 && end > colon ? message.substring(colon + 2, end) : message;
  }

  private static Result failure(String message, long start, List<String> missing) {
    return new Result(Optional.empty(), Optional.of(message), false, took(start), missing);
  }

  private static Duration took(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
