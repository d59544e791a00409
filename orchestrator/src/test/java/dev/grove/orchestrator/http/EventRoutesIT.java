package dev.grove.orchestrator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.event.ActionInfo;
import dev.grove.api.event.Event;
import dev.grove.api.event.EventPayload;
import dev.grove.api.http.Routes;
import dev.grove.api.run.ActionState;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.events.EventBus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.Router;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real vert.x server on a free loopback port with the daemon's handler chain, a real vert.x
 * websocket client and a plain {@link HttpURLConnection} NDJSON client.
 */
class EventRoutesIT {
  private static final String TOKEN = "s3cret-token";
  private static final ActionInfo API = new ActionInfo("deploy.api", "Deploy", "api", "v-1");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx = Vertx.vertx();
  private EventBus bus = new EventBus(100_000, 10_000);
  private HttpServer server;
  private WebSocketClient wsClient;

  @BeforeEach
  void start() throws Exception {
    startServer(new EventBus(100_000, 10_000));
  }

  private void startServer(EventBus newBus) throws Exception {
    if (server != null) {
      await(server.close());
    }
    bus = newBus;
    Router router = Router.router(vertx);
    // As DaemonVerticle does: bearer check and body handler first, catch-all and failures last.
    router.route().handler(new BearerAuthHandler(TOKEN));
    router.route().handler(DaemonVerticle.bodyHandler());
    EventRoutes.install(router, vertx, bus);
    router.route().handler(ctx -> ctx.fail(new GroveException(ApiFailureHandler.notFound())));
    router.route().failureHandler(new ApiFailureHandler(Path.of("daemon.log")));
    server =
        await(
            vertx
                .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(router)
                .listen());
    wsClient = vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void websocketReplaysFromSinceZeroThenFollowsLiveEventsInOrder() throws Exception {
    publish("r1", 3);
    Received ws = connect("?since=0", true);

    bus.publish("r1", API, new EventPayload.Log("stdout", "live"));
    List<Event> events = ws.take(4);

    assertThat(events).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(events.get(3).action()).isEqualTo(API);
    assertThat(events.get(3).payload()).isEqualTo(new EventPayload.Log("stdout", "live"));
  }

  @Test
  void withoutSinceOnlyNewEventsArrive() throws Exception {
    publish("r1", 3);
    Received ws = connect("", true);
    waitFor(() -> bus.subscriberCount() == 1);
    publish("r1", 1);
    assertThat(ws.take(1)).extracting(Event::seq).containsExactly(4L);
  }

  @Test
  void ndjsonResumesAfterSinceAndEndsAfterTheReplayWithoutFollow() throws Exception {
    publish("r1", 5);
    HttpURLConnection http = ndjson("?since=2&follow=false", TOKEN);

    assertThat(http.getResponseCode()).isEqualTo(200);
    assertThat(http.getContentType()).startsWith(EventRoutes.NDJSON);
    assertThat(readAll(http)).extracting(Event::seq).containsExactly(3L, 4L, 5L);
    waitFor(() -> bus.subscriberCount() == 0);
  }

  @Test
  void websocketWithoutFollowClosesAfterTheReplay() throws Exception {
    publish("r1", 2);
    Received ws = connect("?since=0&follow=false", true);
    assertThat(ws.take(2)).extracting(Event::seq).containsExactly(1L, 2L);
    waitFor(() -> ws.closed);
  }

  @Test
  void filtersByRunIdAndAction() throws Exception {
    publish("r1", 2); // 1, 2
    publish("r2", 2); // 3, 4
    bus.publish("r2", API, new EventPayload.ActionStatus(ActionState.READY)); // 5

    assertThat(readAll(ndjson("?since=0&follow=false&runId=r2", TOKEN)))
        .extracting(Event::seq)
        .containsExactly(3L, 4L, 5L);
    assertThat(readAll(ndjson("?since=0&follow=false&action=deploy.api", TOKEN)))
        .extracting(Event::seq)
        .containsExactly(5L);
    Received ws = connect("?since=0&runId=r1", true);
    publish("r2", 1);
    publish("r1", 1); // 7
    assertThat(ws.take(3)).extracting(Event::seq).containsExactly(1L, 2L, 7L);
  }

  @Test
  void ndjsonStreamsLiveEventsAsTheyArePublished() throws Exception {
    HttpURLConnection http = ndjson("", TOKEN);
    assertThat(http.getResponseCode()).isEqualTo(200); // the head comes before any event
    waitFor(() -> bus.subscriberCount() == 1);
    publish("r1", 2);
    try (BufferedReader lines = reader(http)) {
      assertThat(read(lines.readLine()).seq()).isEqualTo(1L);
      assertThat(read(lines.readLine()).seq()).isEqualTo(2L);
    }
    http.disconnect();
    waitFor(() -> bus.subscriberCount() == 0);
  }

  @Test
  void closingTheWebsocketClosesTheSubscription() throws Exception {
    Received ws = connect("", true);
    waitFor(() -> bus.subscriberCount() == 1);
    await(ws.socket.close());
    waitFor(() -> bus.subscriberCount() == 0);
  }

  @Test
  void aClientThatStopsReadingDoesNotStallAnother() throws Exception {
    startServer(new EventBus(1_000, 2_000));
    // The stalled client: asks for the stream, then never reads a byte.
    try (Socket stalled = new Socket("127.0.0.1", server.actualPort())) {
      stalled.setReceiveBufferSize(4_096);
      OutputStream out = stalled.getOutputStream();
      out.write(
          ("GET "
                  + Routes.EVENTS
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: "
                  + EventRoutes.NDJSON
                  + "\r\nAuthorization: Bearer "
                  + TOKEN
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Received reader = connect("", true);
      waitFor(() -> bus.subscriberCount() == 2);

      // ~40 MB in all, far beyond socket buffers: the stalled one must overflow and drop.
      String line = "x".repeat(1_000);
      long publishNanos = 0;
      for (int batch = 0; batch < 40; batch++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
          bus.publish("r1", API, new EventPayload.Log("stdout", line));
        }
        publishNanos += System.nanoTime() - t0;
        long expected = (batch + 1) * 1_000L;
        List<Event> got = reader.take(1_000);
        assertThat(got.get(got.size() - 1).seq()).isEqualTo(expected);
        assertThat(got).noneMatch(e -> e.payload() instanceof EventPayload.Gap);
      }
      assertThat(publishNanos / 1_000_000).as("ms publishing 40,000 events").isLessThan(5_000);
    }
    // The stalled client hangs up: its subscription goes too.
    waitFor(() -> bus.subscriberCount() == 1);
  }

  @Test
  void refusesWithoutTheToken() throws Exception {
    assertThat(ndjson("", null).getResponseCode()).isEqualTo(401);
    assertThat(ndjson("", "wrong").getResponseCode()).isEqualTo(401);
    // The query token is for websocket upgrades only.
    assertThat(ndjson("?token=" + TOKEN, null).getResponseCode()).isEqualTo(401);

    ExecutionException noToken =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> connect("", false));
    assertThat(noToken.getCause()).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) noToken.getCause()).getStatus()).isEqualTo(401);
    ExecutionException wrong =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> connect("?token=wrong", false));
    assertThat(((UpgradeRejectedException) wrong.getCause()).getStatus()).isEqualTo(401);
  }

  @Test
  void websocketAcceptsTheTokenAsAQueryParameter() throws Exception {
    publish("r1", 1);
    Received ws = connect("?since=0&token=" + TOKEN, false);
    assertThat(ws.take(1)).extracting(Event::seq).containsExactly(1L);
  }

  @Test
  void badQueryValuesAreBadRequests() throws Exception {
    for (String query : List.of("?since=abc", "?since=-3", "?follow=maybe", "?runId=")) {
      HttpURLConnection http = ndjson(query, TOKEN);
      assertThat(http.getResponseCode()).as(query).isEqualTo(400);
      assertThat(new String(http.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
          .contains(ErrorCodes.BAD_REQUEST);
    }
    HttpURLConnection plain = open("", TOKEN);
    assertThat(plain.getResponseCode()).as("neither websocket nor ndjson").isEqualTo(400);
  }

  // --- helpers

  private void publish(String runId, int count) {
    for (int i = 0; i < count; i++) {
      bus.publish(runId, null, new EventPayload.Log("stdout", "l" + i));
    }
  }

  /** What one websocket client has received. */
  private static final class Received {
    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    volatile boolean closed;
    WebSocket socket;

    List<Event> take(int n) throws InterruptedException {
      List<Event> out = new ArrayList<>();
      while (out.size() < n) {
        Event event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("event %d of %d (got %s)", out.size() + 1, n, out).isNotNull();
        out.add(event);
      }
      return out;
    }
  }

  private Received connect(String query, boolean withHeader) throws Exception {
    Received received = new Received();
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(server.actualPort())
            .setURI(Routes.EVENTS + query);
    if (withHeader) {
      options.addHeader(Routes.AUTHORIZATION, "Bearer " + TOKEN);
    }
    received.socket =
        await(
            wsClient
                .connect(options)
                .onSuccess(
                    ws -> {
                      // Inside the connect callback, or the first frames are lost.
                      ws.textMessageHandler(
                          text -> {
                            try {
                              received.events.add(read(text));
                            } catch (IOException e) {
                              throw new IllegalStateException(e);
                            }
                          });
                      ws.closeHandler(v -> received.closed = true);
                    }));
    return received;
  }

  private HttpURLConnection ndjson(String query, String token) throws IOException {
    HttpURLConnection http = open(query, token);
    http.setRequestProperty("Accept", EventRoutes.NDJSON);
    return http;
  }

  private HttpURLConnection open(String query, String token) throws IOException {
    HttpURLConnection http =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + server.actualPort() + Routes.EVENTS + query)
                .toURL()
                .openConnection();
    http.setConnectTimeout(5_000);
    http.setReadTimeout(10_000);
    if (token != null) {
      http.setRequestProperty(Routes.AUTHORIZATION, "Bearer " + token);
    }
    return http;
  }

  private static BufferedReader reader(HttpURLConnection http) throws IOException {
    return new BufferedReader(new InputStreamReader(http.getInputStream(), StandardCharsets.UTF_8));
  }

  private static List<Event> readAll(HttpURLConnection http) throws IOException {
    List<Event> events = new ArrayList<>();
    try (BufferedReader lines = reader(http)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        events.add(read(line));
      }
    }
    return events;
  }

  /** An event as the daemon wrote it, its payload read into the record of its type. */
  private static Event read(String line) throws IOException {
    JsonNode event = JSON.readTree(line);
    String type = event.get("type").asText();
    return new Event(
        event.get("seq").asLong(),
        event.get("time").asLong(),
        event.get("runId").isNull() ? null : event.get("runId").asText(),
        type,
        event.has("action") ? JSON.treeToValue(event.get("action"), ActionInfo.class) : null,
        JSON.treeToValue(event.get("payload"), EventPayload.recordOf(type)));
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 10 s for a condition").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
