package dev.grove.sandbox.apiserver;

import dev.grove.sandbox.cluster.KubeJson;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches over plain HTTP ({@code GET ...?watch=1}, a chunked stream of watch events), as kubectl
 * ({@code get -w}, {@code rollout status}) and client-go's reflectors ask for them. The mock server
 * serves watches only over websockets (fabric8's client's way); this route opens the mock's watch
 * and writes each event it would send on a websocket as one JSON line of the HTTP answer.
 *
 * <p>The mock's watch starts with an ADDED event for every matching object; with a {@code
 * resourceVersion} (a list's, as reflectors do) those no newer than it are left out, as a real API
 * server would. {@code timeoutSeconds} ends the answer, as it does there.
 */
final class WatchRoute {

  private final KubernetesCrudDispatcher cluster;
  private final Vertx vertx;

  WatchRoute(KubernetesCrudDispatcher cluster, Vertx vertx) {
    this.cluster = cluster;
    this.vertx = vertx;
  }

  /** True when the request was an HTTP watch, and is answered. */
  boolean handle(HttpServerRequest request) {
    String watch = request.getParam("watch");
    if (!"true".equals(watch) && !"1".equals(watch)) {
      return false;
    }
    String uri = request.uri().replaceFirst("([?&])watch=1(&|$)", "$1watch=true$2");
    MockResponse opened = cluster.handleWatch(uri);
    WebSocketListener listener = opened.getWebSocketListener();
    if (listener == null) {
      return false;
    }
    long since = number(request.getParam("resourceVersion"));
    HttpServerResponse response = request.response();
    response.setStatusCode(200).putHeader("Content-Type", "application/json").setChunked(true);
    response.writeHead();
    Context context = Vertx.currentContext();
    AtomicBoolean closed = new AtomicBoolean();
    RecordedRequest recorded =
        new RecordedRequest(
            "HTTP/1.1", HttpMethod.GET, uri, Headers.builder().build(), new Buffer(new byte[0]));
    WebSocket stream =
        new WebSocket() {
          @Override
          public RecordedRequest request() {
            return recorded;
          }

          @Override
          public boolean send(String event) {
            if (closed.get() || isOlderAdded(event, since)) {
              return !closed.get();
            }
            context.runOnContext(
                v -> {
                  if (!response.ended() && !response.closed()) {
                    response.write(event + "\n");
                  }
                });
            return true;
          }

          @Override
          public boolean send(byte[] event) {
            return send(new String(event, StandardCharsets.UTF_8));
          }

          @Override
          public boolean close(int code, String reason) {
            if (closed.compareAndSet(false, true)) {
              context.runOnContext(
                  v -> {
                    if (!response.ended() && !response.closed()) {
                      response.end();
                    }
                  });
            }
            return true;
          }
        };
    listener.onOpen(stream, opened);
    // the listener's close waits for its sender thread: not on the event loop
    Runnable stop =
        () ->
            vertx.executeBlocking(
                () -> {
                  listener.onClosed(stream, 1000, "watch ended");
                  return null;
                },
                false);
    response.closeHandler(v -> stop.run());
    long timeout = number(request.getParam("timeoutSeconds"));
    if (timeout > 0) {
      vertx.setTimer(
          timeout * 1000,
          id -> {
            stream.close(1000, "timeout");
            stop.run();
          });
    }
    return true;
  }

  /** An initial ADDED event for an object not newer than the version the client has. */
  private static boolean isOlderAdded(String event, long since) {
    if (since <= 0) {
      return false;
    }
    try {
      Map<?, ?> parsed = KubeJson.read(event, Map.class);
      if (!"ADDED".equals(parsed.get("type"))) {
        return false;
      }
      Object object = parsed.get("object");
      Object metadata = object instanceof Map<?, ?> o ? o.get("metadata") : null;
      Object version = metadata instanceof Map<?, ?> m ? m.get("resourceVersion") : null;
      return version != null && number(version.toString()) <= since;
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  private static long number(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
