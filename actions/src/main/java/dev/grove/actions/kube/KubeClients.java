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
 * The daemon's way to its clusters: fabric8 clients, one per kubeconfig file (as last modified) and
 * context, on the daemon's own {@link Vertx} (else on fabric8's), and the sandbox started when a
 * project's context is the sandbox's and it is not running. The composition root makes one.
 */
public final class KubeClients {
  private final Vertx vertx;
  private final KubeConfigResolver.SandboxStarter sandbox;
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

  /**
   * @param vertx whose event loops carry the Kubernetes API traffic; null: fabric8's own
   * @param sandbox starts the sandbox; null: a project on a stopped sandbox is told to start it
   */
  public KubeClients(Vertx vertx, KubeConfigResolver.SandboxStarter sandbox) {
    this.vertx = vertx;
    this.sandbox = sandbox;
  }

  public KubernetesClient client(KubeConfigResolver.Target target) {
    String key = target.kubeconfig() + "#" + stamp(target) + "#" + target.context();
    return clients.computeIfAbsent(
        key,
        k -> {
          KubernetesClientBuilder builder =
              new KubernetesClientBuilder().withConfig(target.config());
          if (vertx != null) {
            builder.withHttpClientFactory(new Vertx5HttpClientFactory(vertx));
          }
          return builder.build();
        });
  }

  /**
   * Deletes a namespace ({@code grove cleanup namespace}).
   *
   * @param dryRun only look whether it is there
   * @return whether it was there
   */
  public boolean deleteNamespace(KubeConfigResolver.Target target, String namespace, boolean dryRun)
      throws ActionException {
    KubernetesClient client = client(target);
    try {
      boolean exists = client.namespaces().withName(namespace).get() != null;
      if (exists && !dryRun) {
        client.namespaces().withName(namespace).delete();
      }
      return exists;
    } catch (KubernetesClientException e) {
      throw failure(target, "delete the namespace " + namespace, e);
    }
  }

  /** {@link KubeConfigResolver#resolve}, starting the sandbox when the project needs it. */
  public KubeConfigResolver.Target resolve(
      dev.grove.actions.provider.KubernetesProvider provider,
      java.nio.file.Path projectRoot,
      Map<String, String> env,
      java.util.function.Consumer<String> say)
      throws ActionException {
    return KubeConfigResolver.resolve(provider, projectRoot, env, say, sandbox);
  }

  /** Starts the sandbox when the provider uses it and it is not running; {@code say} tells. */
  public void ensureSandbox(
      dev.grove.actions.provider.KubernetesProvider provider,
      Map<String, String> env,
      java.util.function.Consumer<String> say)
      throws ActionException {
    KubeConfigResolver.ensureSandbox(provider, env, say, sandbox);
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
