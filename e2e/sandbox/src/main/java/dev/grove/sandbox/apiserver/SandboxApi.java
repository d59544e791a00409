package dev.grove.sandbox.apiserver;

import dev.grove.sandbox.cluster.PodLogs;
import dev.grove.sandbox.kubelet.PodStreams;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's Kubernetes API server on 127.0.0.1: fabric8's mock server in CRUD mode with {@link
 * ClusterDispatcher}'s API behaviours (server-side apply, strategic and merge patches, status
 * subresources, cascading deletes), plus what a real API server has and the mock has no place for:
 * {@code /version}, the discovery documents kubectl reads ({@link Discovery}), pod logs from {@link
 * PodLogs}, followed as they grow, watches over plain HTTP ({@link WatchRoute}), the protobuf
 * bodies client-go's typed clients write (Helm's release storage: {@link ProtobufBody}), and {@code
 * pods/exec}, {@code attach} and {@code portforward} proxied to the node's container runtime
 * ({@link PodStreamRoute}) when the node runs real containers.
 *
 * <p>HTTPS on loopback (a certificate of its own, {@link SandboxCertificate}), authenticated as a
 * real API server with a static token file: every request (REST, discovery, watches, logs,
 * websocket upgrades) needs {@code Authorization: Bearer <token>}, the token its kubeconfig
 * carries, or gets 401 with a {@code Status}; only {@code /version} and the health endpoints answer
 * anonymously, as the {@code system:public-info-viewer} role lets them on a real one. It serves on
 * its own vert.x server so that a followed log can stay open; every other request goes to the mock
 * server's own request handler (websocket watches included).
 */
public final class SandboxApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxApi.class);
  private static final List<String> CHANNEL_PROTOCOLS =
      List.of("v1.channel.k8s.io", "v2.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io");

  /** What a real API server lets anyone read (its {@code system:public-info-viewer} role). */
  private static final Set<String> PUBLIC_PATHS =
      Set.of("/version", "/healthz", "/livez", "/readyz");

  private static final String UNAUTHORIZED = ApiStatus.failure(401, "Unauthorized", "Unauthorized");

  private static final String WATCH_OVER_HTTP =
      ApiStatus.failure(
          503,
          "ServiceUnavailable",
          "This API serves watches over HTTP (?watch=true), not websockets");

  private final Vertx vertx;
  private final HttpServer server;
  private final PodLogs logs;
  private final String token;
  private final String certificatePem;
  private final AtomicReference<PodStreams> streams;

  private SandboxApi(
      Vertx vertx,
      HttpServer server,
      PodLogs logs,
      String token,
      String certificatePem,
      AtomicReference<PodStreams> streams) {
    this.streams = streams;
    this.vertx = vertx;
    this.server = server;
    this.logs = logs;
    this.token = token;
    this.certificatePem = certificatePem;
  }

  /** A fresh random bearer token (256 bits). */
  public static String newToken() {
    return secret(32);
  }

  /** {@code bytes} random bytes, URL-safe base64 without padding. */
  public static String secret(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /**
   * Starts the API on {@code 127.0.0.1:port} (0 = a free port), answering only requests that carry
   * {@code token}, merging patches by {@code rules}.
   *
   * @throws IllegalStateException when the port is taken or the server does not start in 10 s
   */
  public static SandboxApi start(int port, Clock clock, String token, PatchRules rules) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("The sandbox API needs a token");
    }
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    SandboxCertificate certificate = SandboxCertificate.create();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
    vertx.exceptionHandler(e -> LOG.warn("Unhandled failure in the sandbox API", e));
    KubernetesCrudDispatcher cluster = new ClusterDispatcher(clock, rules);
    PodLogs logs = new PodLogs(clock);
    PodLogRoute logRoute = new PodLogRoute(cluster, logs, clock);
    WatchRoute watchRoute = new WatchRoute(cluster, vertx);
    AtomicReference<PodStreams> streams = new AtomicReference<>();
    PodStreamRoute streamRoute = new PodStreamRoute(cluster, streams::get, vertx);
    HttpServerRequestHandler crud =
        new HttpServerRequestHandler(vertx) {
          @Override
          protected MockResponse onHttpRequest(RecordedRequest request) {
            // called once the body is read, outside the request handler's own catch below
            try {
              return withContentType(cluster.dispatch(asJson(request)));
            } catch (ProtobufBody.UnreadableBody e) {
              return new MockResponse()
                  .setResponseCode(e.code())
                  .addHeader("Content-Type", "application/json")
                  .setBody(e.status());
            } catch (RuntimeException e) {
              LOG.warn("{} {} failed", request.getMethod(), request.getPath(), e);
              return ApiStatus.internalErrorResponse(e);
            }
          }
        };
    HttpServer server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setSsl(true)
                .setKeyCertOptions(KeyCertOptions.wrap(certificate.keyManagers()))
                .setWebSocketSubProtocols(CHANNEL_PROTOCOLS)
                .setHandle100ContinueAutomatically(true));
    Discovery discovery = new Discovery();
    server.requestHandler(
        request -> {
          try {
            route(request, expected, discovery, logRoute, watchRoute, streamRoute, crud);
          } catch (RuntimeException e) {
            LOG.warn("{} {} failed", request.method(), request.uri(), e);
            ApiStatus.send(request, 500, ApiStatus.internalError(e));
          }
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
    LOG.info("Kubernetes API on https://127.0.0.1:{}", server.actualPort());
    return new SandboxApi(vertx, server, logs, token, certificate.pem(), streams);
  }

  /** Answers an authenticated request: discovery, logs, watches, or the CRUD dispatcher. */
  private static void route(
      HttpServerRequest request,
      byte[] expected,
      Discovery discovery,
      PodLogRoute logRoute,
      WatchRoute watchRoute,
      PodStreamRoute streamRoute,
      HttpServerRequestHandler crud) {
    if (!authorized(request, expected)) {
      request
          .response()
          .setStatusCode(401)
          .putHeader("Content-Type", "application/json")
          .end(UNAUTHORIZED);
      return;
    }
    if (streamRoute.handle(request)) {
      return;
    }
    // before the body is read: a protobuf body would reach the dispatcher's JSON and YAML parsers
    Optional<String> unsupported =
        ApiStatus.unsupportedMediaType(request.method(), request.getHeader("Content-Type"));
    if (unsupported.isPresent()) {
      ApiStatus.send(request, 415, unsupported.get());
      return;
    }
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
    if (isUpgrade(request) && isWatch(request)) {
      // The mock's websocket watch, once closed, blocks this event loop for up to a minute
      // (its listener awaits its sender thread there): requests of other connections on the
      // loop then time out. 503 makes fabric8 watch over HTTP instead (WatchRoute), as
      // kubectl does.
      request
          .response()
          .setStatusCode(503)
          .putHeader("Content-Type", "application/json")
          .end(WATCH_OVER_HTTP);
      return;
    }
    crud.handle(request);
  }

  /**
   * {@code request} with a protobuf body (client-go's typed clients send them, and do not retry in
   * JSON) turned into the JSON the dispatcher reads; other requests as they are.
   */
  private static RecordedRequest asJson(RecordedRequest request)
      throws ProtobufBody.UnreadableBody {
    if (!ProtobufBody.isProtobuf(request.getHeader("Content-Type"))) {
      return request;
    }
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
    String json = Json.write(ProtobufBody.read(body));
    Headers headers =
        request
            .getHeaders()
            .newBuilder()
            .removeAll("Content-Type")
            .removeAll("Content-Length")
            .add("Content-Type", "application/json")
            .build();
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        request.getPath(),
        headers,
        new Buffer(json.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The mock answers JSON without saying so; a client-go client that asked for protobuf first
   * (Helm's release storage does) decodes an answer without a Content-Type as protobuf.
   */
  private static MockResponse withContentType(MockResponse response) {
    if (response.getWebSocketListener() == null
        && response.getBody() != null
        && response.getBody().size() > 0
        && response.getHeaders().headers("Content-Type").isEmpty()) {
      response.addHeader("Content-Type", "application/json");
    }
    return response;
  }

  private static boolean isWatch(HttpServerRequest request) {
    String watch = request.getParam("watch");
    return "true".equals(watch) || "1".equals(watch) || request.path().contains("/watch/");
  }

  /** The request carries the token, or asks for what anyone may read. */
  private static boolean authorized(HttpServerRequest request, byte[] expected) {
    if (request.method() == HttpMethod.GET
        && PUBLIC_PATHS.contains(request.path())
        && !isUpgrade(request)) {
      return true;
    }
    String header = request.getHeader("Authorization");
    return header != null
        && MessageDigest.isEqual(header.strip().getBytes(StandardCharsets.UTF_8), expected);
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code https://127.0.0.1:PORT} */
  public String url() {
    return "https://127.0.0.1:" + port();
  }

  /** The API's certificate in PEM: what its clients trust. */
  public String certificatePem() {
    return certificatePem;
  }

  /** The bearer token every request needs. */
  public String token() {
    return token;
  }

  /**
   * How a fabric8 client reaches the API: HTTPS trusting its certificate, the token, namespace
   * {@code default}.
   */
  public Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withCaCertData(
            Base64.getEncoder().encodeToString(certificatePem.getBytes(StandardCharsets.US_ASCII)))
        .withOauthToken(token)
        .withNamespace("default")
        .withRequestRetryBackoffLimit(0)
        // a loaded 2-core machine once stalled this in-process API past fabric8's 10 s default
        .withRequestTimeout(30_000)
        .build();
  }

  /**
   * Serves {@code pods/exec}, {@code pods/attach} and {@code pods/portforward} through {@code
   * streams} (the kubelet's runtime, when the node runs real containers); until then those
   * subresources answer that the simulated node runs no processes.
   */
  public void streams(PodStreams streams) {
    this.streams.set(streams);
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
