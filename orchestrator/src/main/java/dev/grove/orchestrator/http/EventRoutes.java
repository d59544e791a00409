package dev.grove.orchestrator.http;

import dev.grove.api.error.ErrorCodes;
import dev.grove.api.event.Event;
import dev.grove.api.event.EventPayload;
import dev.grove.api.http.Routes;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.events.EventBus;
import dev.grove.orchestrator.events.EventFilter;
import dev.grove.orchestrator.events.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code GET} {@link Routes#EVENTS}: the event stream, as a websocket (one text frame per event)
 * or, with {@code Accept: application/x-ndjson}, as one JSON event per line over chunked HTTP.
 *
 * <p>Query: {@code since} (default: only new events; {@code since=0}: all that is still buffered),
 * {@code runId}, {@code action} (a ref), {@code follow=false} to end after the replay. Each
 * connection pulls from its {@link Subscription} on its own event loop and stops pulling while the
 * socket's write queue is full, so a slow client only fills its own bounded queue.
 */
public final class EventRoutes {
  static final String NDJSON = "application/x-ndjson";

  /** Events taken from a subscription per poll, and polls before yielding the event loop. */
  private static final int BATCH = 512;

  private static final int ROUNDS_PER_TURN = 8;

  /** Before the bearer check that the daemon installs first on every route. */
  private static final int QUERY_TOKEN_ORDER = -1_000;

  private EventRoutes() {}

  /**
   * Adds the events route; call it before the router's catch-all not-found route. Also lets a
   * websocket upgrade on this route carry the token as {@code ?token=}, since browsers cannot set
   * headers on websockets: the token is copied into the {@code Authorization} header for the
   * daemon's bearer check, which then decides as for any request.
   */
  public static void install(Router router, Vertx vertx, EventBus bus) {
    Encoder encoder = new Encoder();
    router.route(Routes.EVENTS).order(QUERY_TOKEN_ORDER).handler(EventRoutes::tokenFromQuery);
    router.get(Routes.EVENTS).handler(ctx -> stream(ctx, vertx, bus, encoder));
  }

  private static void tokenFromQuery(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String token = request.getParam("token");
    if (token != null
        && request.getHeader(Routes.AUTHORIZATION) == null
        && request.canUpgradeToWebSocket()) {
      request.headers().set(Routes.AUTHORIZATION, "Bearer " + token);
    }
    ctx.next();
  }

  private static void stream(RoutingContext ctx, Vertx vertx, EventBus bus, Encoder encoder) {
    HttpServerRequest request = ctx.request();
    Query query;
    try {
      query = Query.parse(request);
    } catch (GroveException e) {
      ctx.fail(e);
      return;
    }
    Context context = vertx.getOrCreateContext();
    if (request.canUpgradeToWebSocket()) {
      request
          .toWebSocket()
          .onSuccess(ws -> new WebSocketPump(context, encoder, ws).start(bus, query))
          .onFailure(ctx::fail);
    } else if (accepts(request, NDJSON)) {
      new NdjsonPump(context, encoder, ctx.response()).start(bus, query);
    } else {
      ctx.fail(
          new GroveException(
              ErrorCodes.BAD_REQUEST,
              Routes.EVENTS + " streams events: it needs a websocket or Accept: " + NDJSON,
              "Open a websocket on it, or send 'Accept: " + NDJSON + "'."));
    }
  }

  private static boolean accepts(HttpServerRequest request, String mediaType) {
    String accept = request.getHeader("Accept");
    return accept != null && accept.toLowerCase(Locale.ROOT).contains(mediaType);
  }

  /** The query parameters, checked. */
  record Query(EventFilter filter, long since, boolean follow) {
    static Query parse(HttpServerRequest request) {
      long since = EventBus.NOW;
      String sinceParam = request.getParam("since");
      if (sinceParam != null) {
        try {
          since = Long.parseLong(sinceParam.trim());
        } catch (NumberFormatException e) {
          since = -1;
        }
        if (since < 0) {
          throw bad(
              "since='" + sinceParam + "' is not a seq",
              "Pass the seq of the last event you saw (0 for all buffered events).");
        }
      }
      boolean follow = true;
      String followParam = request.getParam("follow");
      if (followParam != null) {
        if (followParam.equalsIgnoreCase("false")) {
          follow = false;
        } else if (!followParam.equalsIgnoreCase("true")) {
          throw bad("follow='" + followParam + "' is not a boolean", "Pass follow=true or false.");
        }
      }
      return new Query(
          new EventFilter(nonBlank(request, "runId"), nonBlank(request, "action")), since, follow);
    }

    private static String nonBlank(HttpServerRequest request, String name) {
      String value = request.getParam(name);
      if (value != null && value.isBlank()) {
        throw bad(name + " is empty", "Leave " + name + " out, or give it a value.");
      }
      return value;
    }

    private static GroveException bad(String message, String suggestion) {
      return new GroveException(ErrorCodes.BAD_REQUEST, message, suggestion);
    }
  }

  /**
   * Each event's JSON, made once for all the connections that send it: the recent ones are kept by
   * seq. Gap events are made per subscriber and share their seq with a real event: never kept.
   */
  private static final class Encoder {
    private static final int RECENT = 8_192;

    private record Encoded(Event event, String json) {}

    private final AtomicReferenceArray<Encoded> recent = new AtomicReferenceArray<>(RECENT);

    String json(Event event) {
      if (event.payload() instanceof EventPayload.Gap) {
        return encode(event);
      }
      int slot = (int) (event.seq() % RECENT);
      Encoded known = recent.get(slot);
      if (known != null && known.event() == event) {
        return known.json();
      }
      String json = encode(event);
      recent.set(slot, new Encoded(event, json));
      return json;
    }

    private static String encode(Event event) {
      return new String(JsonCodec.write(event), StandardCharsets.UTF_8);
    }
  }

  /**
   * Moves events from a subscription to one connection, always on the connection's context: polls
   * while the socket takes more, waits for its drain handler when it is full, and for the bus's
   * signal when the subscription is empty.
   */
  private abstract static class Pump {
    private final Context context;
    final Encoder encoder;
    private final Handler<Void> pumpTask = ignored -> pump();
    private Subscription subscription;
    private boolean finished;

    Pump(Context context, Encoder encoder) {
      this.context = context;
      this.encoder = encoder;
    }

    final void start(EventBus bus, Query query) {
      onClose(this::stop);
      subscription =
          query.follow()
              ? bus.subscribe(query.filter(), query.since(), () -> context.runOnContext(pumpTask))
              : bus.replay(query.filter(), query.since());
      pump();
    }

    private void pump() {
      if (finished) {
        return;
      }
      for (int round = 0; round < ROUNDS_PER_TURN; round++) {
        if (isClosed()) {
          // Closed by the peer, its close handler not yet run: nothing more can be written.
          stop(null);
          return;
        }
        if (writeQueueFull()) {
          onDrain(pumpTask);
          return;
        }
        List<Event> batch = subscription.poll(BATCH);
        if (batch.isEmpty()) {
          if (subscription.isDone()) {
            stop(null);
            end();
          }
          return;
        }
        write(batch);
      }
      // Let the event loop serve other connections before the next batch.
      context.runOnContext(pumpTask);
    }

    private void stop(Void ignored) {
      finished = true;
      subscription.close();
    }

    abstract void onClose(Handler<Void> handler);

    abstract boolean isClosed();

    abstract boolean writeQueueFull();

    abstract void onDrain(Handler<Void> handler);

    abstract void write(List<Event> events);

    abstract void end();
  }

  private static final class WebSocketPump extends Pump {
    private final ServerWebSocket ws;

    WebSocketPump(Context context, Encoder encoder, ServerWebSocket ws) {
      super(context, encoder);
      this.ws = ws;
    }

    @Override
    void onClose(Handler<Void> handler) {
      ws.closeHandler(handler);
      ws.exceptionHandler(failure -> handler.handle(null));
      // Nothing is expected from the client; dropping its frames keeps them from queueing.
      ws.handler(frame -> {});
    }

    @Override
    boolean isClosed() {
      return ws.isClosed();
    }

    @Override
    boolean writeQueueFull() {
      return ws.writeQueueFull();
    }

    @Override
    void onDrain(Handler<Void> handler) {
      ws.drainHandler(handler);
    }

    @Override
    void write(List<Event> events) {
      for (Event event : events) {
        ws.writeTextMessage(encoder.json(event));
      }
    }

    @Override
    void end() {
      ws.close();
    }
  }

  private static final class NdjsonPump extends Pump {
    private final HttpServerResponse response;

    NdjsonPump(Context context, Encoder encoder, HttpServerResponse response) {
      super(context, encoder);
      this.response = response;
      response.setChunked(true).putHeader("Content-Type", NDJSON + "; charset=utf-8");
      // The status line now, so a client knows it is subscribed before the first event.
      response.writeHead();
    }

    @Override
    void onClose(Handler<Void> handler) {
      response.closeHandler(handler);
      response.exceptionHandler(failure -> handler.handle(null));
    }

    @Override
    boolean isClosed() {
      return response.closed() || response.ended();
    }

    @Override
    boolean writeQueueFull() {
      return response.writeQueueFull();
    }

    @Override
    void onDrain(Handler<Void> handler) {
      response.drainHandler(handler);
    }

    @Override
    void write(List<Event> events) {
      Buffer lines = Buffer.buffer(events.size() * 160);
      for (Event event : events) {
        lines.appendString(encoder.json(event)).appendByte((byte) '\n');
      }
      response.write(lines);
    }

    @Override
    void end() {
      response.end();
    }
  }
}
