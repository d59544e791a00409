package dev.grove.e2e.sandbox;

import dev.grove.actions.kube.mock.MockCluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.BindException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's Kubernetes API server on 127.0.0.1: fabric8's mock server in CRUD mode with {@link
 * MockCluster}'s API behaviours (server-side apply, strategic and merge patches, status
 * subresources, cascading deletes), plus what a real API server has and the mock has no place for:
 * {@code /version}, the discovery documents kubectl reads ({@link Discovery}), pod logs from {@link
 * PodLogs}, followed as they grow, and watches over plain HTTP ({@link WatchRoute}).
 *
 * <p>Plain HTTP without authentication: it listens on loopback only. It serves on its own vert.x
 * server so that a followed log can stay open; every other request goes to the mock server's own
 * request handler (websocket watches included).
 */
public final class SandboxApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxApi.class);
  private static final List<String> CHANNEL_PROTOCOLS =
      List.of("v1.channel.k8s.io", "v2.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io");

  private final Vertx vertx;
  private final HttpServer server;
  private final PodLogs logs;

  private SandboxApi(Vertx vertx, HttpServer server, PodLogs logs) {
    this.vertx = vertx;
    this.server = server;
    this.logs = logs;
  }

  /**
   * Starts the API on {@code 127.0.0.1:port} (0 = a free port).
   *
   * @throws IllegalStateException when the port is taken or the server does not start in 10 s
   */
  public static SandboxApi start(int port, Clock clock) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
    KubernetesCrudDispatcher cluster = MockCluster.dispatcher(clock);
    PodLogs logs = new PodLogs(clock);
    PodLogRoute logRoute = new PodLogRoute(cluster, logs, clock);
    WatchRoute watchRoute = new WatchRoute(cluster, vertx);
    HttpServerRequestHandler crud =
        new HttpServerRequestHandler(vertx) {
          @Override
          protected MockResponse onHttpRequest(RecordedRequest request) {
            return cluster.dispatch(request);
          }
        };
    HttpServer server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setWebSocketSubProtocols(CHANNEL_PROTOCOLS)
                .setHandle100ContinueAutomatically(true));
    Discovery discovery = new Discovery();
    server.requestHandler(
        request -> {
          if (request.method() == HttpMethod.GET && !isUpgrade(request)) {
            Optional<String> document = discovery.document(request.path());
            if (document.isPresent()) {
              request
                  .response()
                  .putHeader(
                      "Content-Type",
                      Discovery.isJson(document.get()) ? "application/json" : "text/plain")
                  .end(document.get());
              return;
            }
            if (logRoute.handle(request) || watchRoute.handle(request)) {
              return;
            }
          }
          crud.handle(request);
        });
    try {
      server.listen().await(10, TimeUnit.SECONDS);
    } catch (TimeoutException | RuntimeException e) {
      vertx.close();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (e instanceof BindException || cause instanceof BindException) {
        throw new IllegalStateException("127.0.0.1:" + port + " is in use", e);
      }
      throw new IllegalStateException("The sandbox API did not start on port " + port, e);
    }
    LOG.info("Kubernetes API on http://127.0.0.1:{}", server.actualPort());
    return new SandboxApi(vertx, server, logs);
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:PORT} */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * How a fabric8 client reaches the API: plain HTTP, no credentials, namespace {@code default}.
   */
  public Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace("default")
        .withRequestRetryBackoffLimit(0)
        // a loaded 2-core machine once stalled this in-process API past fabric8's 10 s default
        .withRequestTimeout(30_000)
        .build();
  }

  /** The containers' logs this API serves; the kubelet writes them. */
  public PodLogs logs() {
    return logs;
  }

  /** The API server's own vert.x, for clients of it in the same process. */
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    try {
      server.close().await(5, TimeUnit.SECONDS);
    } catch (TimeoutException | RuntimeException e) {
      LOG.warn("The API server did not close in 5 s", e);
    }
    try {
      vertx.close().await(5, TimeUnit.SECONDS);
    } catch (TimeoutException | RuntimeException e) {
      LOG.warn("vert.x did not close in 5 s", e);
    }
  }

  private static boolean isUpgrade(HttpServerRequest request) {
    String upgrade = request.getHeader("Upgrade");
    return upgrade != null && !upgrade.isEmpty();
  }
}
