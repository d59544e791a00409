package dev.grove.sandbox.tool;

import dev.grove.actions.kube.patch.JsonMergePatch;
import dev.grove.actions.kube.patch.MergeKeys;
import dev.grove.actions.kube.patch.StrategicMergePatch;
import dev.grove.actions.registry.RegistryStatus;
import dev.grove.sandbox.SimulatedKubelet;
import dev.grove.sandbox.apiserver.PatchRules;
import dev.grove.sandbox.apiserver.SandboxApi;
import dev.grove.sandbox.node.LinuxNode;
import io.fabric8.kubernetes.client.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox cluster in this process: the Kubernetes API ({@link SandboxApi}) and the controllers
 * and kubelet that act on it ({@link SimulatedKubelet}), with Grove's own patch semantics and a
 * registry client that pulls for real. {@link SandboxMain} runs one as its own process; tests may
 * run one in theirs.
 */
public final class Sandbox implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

  /** The API server merges as Grove's own patch code does. */
  static final PatchRules PATCH_RULES =
      new PatchRules(
          StrategicMergePatch::supports,
          StrategicMergePatch::apply,
          JsonMergePatch::apply,
          MergeKeys::of);

  private final SandboxApi api;
  private final SimulatedKubelet kubelet;
  private final Optional<LinuxNode> node;
  private boolean closed;

  private Sandbox(SandboxApi api, SimulatedKubelet kubelet, Optional<LinuxNode> node) {
    this.api = api;
    this.kubelet = kubelet;
    this.node = node;
  }

  /**
   * Starts the API on {@code 127.0.0.1:port} (0 = a free port) with a fresh token, and the kubelet.
   *
   * @throws IllegalStateException when the port is taken
   */
  public static Sandbox start(int port) {
    return start(port, SandboxApi.newToken());
  }

  /**
   * Starts the API on {@code 127.0.0.1:port} (0 = a free port), answering only requests that carry
   * {@code token}, and the kubelet.
   *
   * @throws IllegalStateException when the port is taken
   */
  public static Sandbox start(int port, String token) {
    return start(port, token, Optional.empty());
  }

  /**
   * As {@link #start(int, String)}, the kubelet running the pods' containers on {@code node} when
   * present (real containers), else simulating them. The sandbox owns the node from then on: it
   * closes it, also when it cannot start.
   *
   * @throws IllegalStateException when the port is taken
   */
  public static Sandbox start(int port, String token, Optional<LinuxNode> node) {
    Clock clock = Clock.systemUTC();
    SandboxApi api;
    try {
      api = SandboxApi.start(port, clock, token, PATCH_RULES);
    } catch (RuntimeException e) {
      node.ifPresent(LinuxNode::close);
      throw e;
    }
    try {
      SimulatedKubelet kubelet =
          SimulatedKubelet.start(
              api.config(),
              api.vertx(),
              api.logs(),
              clock,
              new ImagePuller(new RegistryStatus(Duration.ofSeconds(2), Duration.ofSeconds(5))),
              node);
      kubelet.streams().ifPresent(api::streams);
      return new Sandbox(api, kubelet, node);
    } catch (RuntimeException e) {
      api.close();
      node.ifPresent(LinuxNode::close);
      throw e;
    }
  }

  /** {@code https://127.0.0.1:PORT} */
  public String url() {
    return api.url();
  }

  /**
   * How a fabric8 client reaches the API (HTTPS trusting its certificate, its token, namespace
   * default).
   */
  public Config config() {
    return api.config();
  }

  /** The API's certificate in PEM (a kubeconfig's {@code certificate-authority-data}, decoded). */
  public String certificatePem() {
    return api.certificatePem();
  }

  /** The bearer token its API wants (its kubeconfig's). */
  public String token() {
    return api.token();
  }

  /**
   * A kubeconfig for this sandbox (context {@code grove-sandbox}, namespace default), as {@code
   * grove sandbox up} writes one: what clients that take a kubeconfig (Helm) are given.
   */
  public String kubeconfig() {
    return SandboxTool.kubeconfig(api.url(), api.certificatePem(), api.token());
  }

  public SandboxApi api() {
    return api;
  }

  /** The node running real containers, when the sandbox has one. */
  public Optional<LinuxNode> node() {
    return node;
  }

  /** Stops the kubelet, the API, then the node (no container left running). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("Stopping the sandbox on {}", api.url());
    try {
      kubelet.close();
      api.close();
    } finally {
      node.ifPresent(LinuxNode::close);
    }
    LOG.info("Stopped");
  }
}
