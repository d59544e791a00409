package dev.grove.sandbox;

import dev.grove.sandbox.apiserver.ClusterDispatcher;
import dev.grove.sandbox.apiserver.PatchRules;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kubernetes API server for tests: fabric8's mock server in CRUD mode on a free loopback port,
 * answering as a real API server does where Grove needs it (see {@link ClusterDispatcher}):
 *
 * <ul>
 *   <li>server-side apply ({@code PATCH} as {@code application/apply-patch+yaml}) creates or
 *       merges, removing what the same field manager applied before and no longer applies (see
 *       {@code apiserver.ServerSideApply} for what is approximated);
 *   <li>strategic merge patch and RFC 7386 merge patch, JSON patch; {@code dryRun} on applies and
 *       patches answers without storing;
 *   <li>Secret {@code stringData} stored as base64 {@code data};
 *   <li>a deleted Namespace takes its objects with it; a deleted owner its dependents
 *       (ownerReferences);
 *   <li>the status subresource of the built-in workloads: writes to {@code /status} change only
 *       status, other writes keep it; a new Namespace is Active.
 * </ul>
 *
 * <p>Nothing runs controllers: tests play them with {@link #controller()}.
 */
public final class MockCluster implements AutoCloseable {

  /** The mock server logs every request at INFO through java.util.logging; held so it stays. */
  private static final Logger REQUEST_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    REQUEST_LOG.setLevel(Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final Config config;
  private final KubernetesClient client;
  private final TestController controller;

  private MockCluster(KubernetesMockServer server, Clock clock) {
    this.server = server;
    this.config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + server.getPort())
            .withNamespace("default")
            .withRequestRetryBackoffLimit(0)
            .build();
    this.client = new KubernetesClientBuilder().withConfig(config).build();
    this.controller = new TestController(client, clock);
  }

  /** A cluster on a free loopback port that merges patches by {@code rules}. */
  public static MockCluster start(PatchRules rules) {
    return start(rules, Clock.systemUTC());
  }

  /** A cluster whose applies and controller stamp times from {@code clock}. */
  public static MockCluster start(PatchRules rules, Clock clock) {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new ClusterDispatcher(clock, rules),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return new MockCluster(server, clock);
  }

  /**
   * How to reach the cluster (plain HTTP, no credentials, namespace {@code default}), for clients
   * built by the code under test: {@code new KubernetesClientBuilder().withConfig(config())}.
   */
  public Config config() {
    return new ConfigBuilder(config).build();
  }

  /** The API server's base URL, {@code http://127.0.0.1:PORT}. */
  public String url() {
    return config.getMasterUrl().replaceAll("/$", "");
  }

  /** A client of the cluster's own, closed with it: for arranging and asserting in tests. */
  public KubernetesClient client() {
    return client;
  }

  /**
   * Plays the cluster's controllers (rollouts, kubelet states, events) through {@link #client()}.
   */
  public TestController controller() {
    return controller;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
