package dev.grove.sandbox.tool;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * {@code grove sandbox up --k3s}: a real K3s cluster and the CNCF registry in containers, started
 * with Testcontainers where a Docker engine answers.
 *
 * <p>The registry runs inside K3s's network namespace and K3s publishes its port on the host's
 * {@code 127.0.0.1:PORT}: so {@code 127.0.0.1:PORT/image} names the same registry for Grove on the
 * host (which pushes there) and for K3s's containerd (which pulls from there). That matters for the
 * pull-secret story: containerd hands the credentials of a pod's {@code imagePullSecrets} only to a
 * registry host equal to the image's, so a mirror under another name would pull without them. The
 * node itself has no registry credentials ({@code registries.yaml} only says the registry speaks
 * plain http): a pod pulls only with a pull secret, as on GKE with Artifact Registry.
 *
 * <p>The containers must outlive the tool's process: {@link SandboxTool} runs this in a child JVM
 * with Testcontainers' reaper (Ryuk) off and container reuse on, and reusable containers carry no
 * session label, so neither the reaper nor the JVM's shutdown hook removes them. {@code grove
 * sandbox down} removes them by id.
 */
final class K3sSandbox {
  static final String K3S_IMAGE = "rancher/k3s:v1.31.4-k3s1";
  static final String REGISTRY_IMAGE = "registry:2.8.3";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  /** On both containers: the sandbox folder they belong to. */
  static final String LABEL = "dev.grove.sandbox";

  /** The containers started, by id. */
  record Started(String k3sContainer, String registryContainer, String kubeconfigYaml) {}

  private K3sSandbox() {}

  /** Whether Testcontainers finds a Docker engine (the same search it starts containers with). */
  static boolean engineAnswers() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /**
   * Starts K3s with the registry's port published on 127.0.0.1, then the registry in K3s's network
   * namespace. On failure, removes what it started.
   */
  @SuppressWarnings("resource") // the containers outlive this process; `down` removes them
  static Started start(int registryPort, String htpasswdLine, Path sandboxDir) {
    String home = sandboxDir.toAbsolutePath().toString();
    K3sContainer k3s =
        new K3sContainer(DockerImageName.parse(K3S_IMAGE))
            .withCopyToContainer(
                Transferable.of(registriesYaml(registryPort)), "/etc/rancher/k3s/registries.yaml")
            .withLabel(LABEL, home)
            .withReuse(true)
            .withStartupTimeout(START_TIMEOUT);
    k3s.setPortBindings(List.of("127.0.0.1:" + registryPort + ":" + registryPort));
    k3s.start();
    try {
      GenericContainer<?> registry =
          new GenericContainer<>(DockerImageName.parse(REGISTRY_IMAGE))
              .withNetworkMode("container:" + k3s.getContainerId())
              .withEnv("REGISTRY_HTTP_ADDR", "0.0.0.0:" + registryPort)
              .withEnv("REGISTRY_AUTH", "htpasswd")
              .withEnv("REGISTRY_AUTH_HTPASSWD_REALM", "grove-sandbox")
              .withEnv("REGISTRY_AUTH_HTPASSWD_PATH", "/auth/htpasswd")
              .withEnv("REGISTRY_STORAGE_DELETE_ENABLED", "true")
              .withCopyToContainer(Transferable.of(htpasswdLine), "/auth/htpasswd")
              .withLabel(LABEL, home)
              .withReuse(true)
              .waitingFor(Wait.forLogMessage(".*listening on.*", 1))
              .withStartupTimeout(START_TIMEOUT);
      registry.start();
      return new Started(
          k3s.getContainerId(), registry.getContainerId(), renameContext(k3s.getKubeConfigYaml()));
    } catch (RuntimeException e) {
      removeLabelled(sandboxDir); // K3s, and the registry if it started
      throw e;
    }
  }

  /**
   * Removes every container labelled as this sandbox's (its folder): what an {@code up --k3s} cut
   * short before it saved their ids left behind.
   */
  static void removeLabelled(Path sandboxDir) {
    String home = sandboxDir.toAbsolutePath().toString();
    for (com.github.dockerjava.api.model.Container container :
        client()
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(java.util.Map.of(LABEL, home))
            .exec()) {
      remove(container.getId());
    }
  }

  /**
   * K3s's containerd configuration: the sandbox registry speaks plain http, on the same address the
   * host uses. No credentials: pods bring theirs.
   */
  static String registriesYaml(int registryPort) {
    String host = "127.0.0.1:" + registryPort;
    return "mirrors:\n  \"" + host + "\":\n    endpoint:\n      - \"http://" + host + "\"\n";
  }

  /**
   * K3s's kubeconfig with its names ({@code default}) changed to {@link SandboxTool#CONTEXT}, the
   * context's namespace {@code default}.
   */
  static String renameContext(String kubeconfigYaml) {
    io.fabric8.kubernetes.api.model.Config config =
        KubeConfigUtils.parseConfigFromString(kubeconfigYaml);
    String name = SandboxTool.CONTEXT;
    NamedCluster cluster = config.getClusters().get(0);
    NamedAuthInfo user = config.getUsers().get(0);
    cluster.setName(name);
    user.setName(name);
    NamedContext context = new NamedContext();
    context.setName(name);
    context.setContext(
        new io.fabric8.kubernetes.api.model.ContextBuilder()
            .withCluster(name)
            .withUser(name)
            .withNamespace("default")
            .build());
    config.setClusters(List.of(cluster));
    config.setUsers(List.of(user));
    config.setContexts(List.of(context));
    config.setCurrentContext(name);
    return io.fabric8.kubernetes.client.utils.Serialization.asYaml(config);
  }

  /** The server URL of a kubeconfig's first cluster. */
  static String serverOf(String kubeconfigYaml) {
    return KubeConfigUtils.parseConfigFromString(kubeconfigYaml)
        .getClusters()
        .get(0)
        .getCluster()
        .getServer();
  }

  /** Whether the container runs; false when it is gone or no engine answers. */
  static boolean running(String containerId) {
    if (containerId == null || containerId.isEmpty() || !engineAnswers()) {
      return false;
    }
    try {
      Boolean running = client().inspectContainerCmd(containerId).exec().getState().getRunning();
      return Boolean.TRUE.equals(running);
    } catch (NotFoundException gone) {
      return false;
    }
  }

  /** Removes a container and its volumes; a container already gone is fine. */
  static void remove(String containerId) {
    if (containerId == null || containerId.isEmpty()) {
      return;
    }
    try {
      client().removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException gone) {
      // removed already
    }
  }

  private static DockerClient client() {
    return DockerClientFactory.instance().client();
  }
}
