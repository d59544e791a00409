package dev.grove.actions.kube;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * fabric8 clients, one per kubeconfig file (as last modified) and context, on the daemon's own
 * {@link Vertx} when {@link #useVertx} was called (the daemon does at start), else on fabric8's.
 */
public final class KubeClients {
  private static volatile Vertx vertx;
  private static final Map<String, KubernetesClient> CLIENTS = new ConcurrentHashMap<>();

  private KubeClients() {}

  /** The daemon's event loops carry the Kubernetes API traffic too. */
  public static void useVertx(Vertx shared) {
    vertx = shared;
  }

  public static KubernetesClient client(KubeConfigResolver.Target target) {
    String key = target.kubeconfig() + "#" + stamp(target) + "#" + target.context();
    return CLIENTS.computeIfAbsent(
        key,
        k -> {
          KubernetesClientBuilder builder =
              new KubernetesClientBuilder().withConfig(target.config());
          Vertx shared = vertx;
          if (shared != null) {
            builder.withHttpClientFactory(new Vertx5HttpClientFactory(shared));
          }
          return builder.build();
        });
  }

  /** A client for tests and callers that built their own config (e.g. a mock API server). */
  public static KubernetesClient client(io.fabric8.kubernetes.client.Config config) {
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static String stamp(KubeConfigResolver.Target target) {
    try {
      FileTime modified = Files.getLastModifiedTime(target.kubeconfig());
      return String.valueOf(modified.toMillis());
    } catch (IOException e) {
      return "?";
    }
  }

  /**
   * Maps a client failure to an error naming the cluster: unreachable, unauthorized, forbidden, or
   * what the API server said.
   */
  public static ActionException failure(
      KubeConfigResolver.Target target, String what, KubernetesClientException e) {
    String where = "context `" + target.context() + "` (" + target.kubeconfig() + ")";
    int code = e.getCode();
    if (code == 401) {
      return new ActionException(
          ActionCodes.KUBE_UNAUTHORIZED,
          "The cluster of " + where + " refused the credentials while trying to " + what + ".",
          "Refresh them: `gcloud container clusters get-credentials ...` for GKE, or check the"
              + " user of the context with `kubectl --context "
              + target.context()
              + " auth whoami`.");
    }
    if (code == 403) {
      return new ActionException(
          ActionCodes.KUBE_FORBIDDEN,
          "The cluster of " + where + " forbade Grove to " + what + ": " + reason(e),
          "Grant the context's user the RBAC permissions (e.g. edit on the namespace).");
    }
    if (code == 0 || e.getCause() instanceof IOException) {
      return new ActionException(
          ActionCodes.KUBE_UNREACHABLE,
          "The cluster of "
              + where
              + " could not be reached at "
              + target.config().getMasterUrl()
              + " while trying to "
              + what
              + ".",
          "Check that the cluster runs and the network/VPN reaches it (`kubectl --context "
              + target.context()
              + " cluster-info`), choose another context, or run `grove sandbox up`.");
    }
    return new ActionException(
        ActionCodes.KUBE_API_ERROR,
        "The cluster of " + where + " answered HTTP " + code + " to " + what + ": " + reason(e),
        "Fix what the API server says above, then run again.");
  }

  private static String reason(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return e.getMessage();
  }
}
