package dev.grove.orchestrator.events;

import dev.grove.api.event.ActionInfo;
import dev.grove.api.event.EventPayload;
import dev.grove.api.http.Routes;
import dev.grove.orchestrator.http.EventRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.Router;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The events benchmark (not a test): a vert.x server with {@link EventRoutes}, C websocket clients
 * in the same JVM, N events published as fast as the slowest client keeps up without overflowing
 * its queue; prints the events/s received by all clients together and the heap after. Run by {@code
 * bench/events.sh [N] [C]}. The bearer check is left out: it costs once per connection.
 */
public final class EventsThroughput {
  private static final ActionInfo API = new ActionInfo("deploy.api", "Deploy", "api", "v-1");

  /** One client: how many events it got, the last seq, and any gap. */
  private static final class Client {
    final AtomicLong received = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    volatile long lastSeq;
  }

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Vertx vertx = Vertx.vertx();
    EventBus bus = new EventBus();
    Router router = Router.router(vertx);
    EventRoutes.install(router, vertx, bus);
    HttpServer server =
        await(
            vertx
                .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(router)
                .listen());
    WebSocketClient wsClient = vertx.createWebSocketClient();
    List<Client> all = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Client client = new Client();
      all.add(client);
      await(
          wsClient
              .connect(
                  new WebSocketConnectOptions()
                      .setHost("127.0.0.1")
                      .setPort(server.actualPort())
                      .setURI(Routes.EVENTS))
              .onSuccess(
                  ws ->
                      ws.textMessageHandler(
                          text -> {
                            // {"seq":N,...: read the seq without a JSON parse on the client side.
                            int end = text.indexOf(',');
                            client.lastSeq = Long.parseLong(text.substring(7, end));
                            if (text.contains("\"type\":\"gap\"")) {
                              client.gaps.incrementAndGet();
                            }
                            client.received.incrementAndGet();
                          })));
    }
    while (bus.subscriberCount() < clients) {
      Thread.sleep(5);
    }

    System.out.printf("%d websocket clients, %d events per round%n", clients, events);
    for (String round : List.of("warm-up", "measured")) {
      long firstSeq = bus.lastSeq() + 1;
      long before = total(all);
      long start = System.nanoTime();
      publish(bus, all, events);
      long lastSeq = bus.lastSeq();
      awaitClients(all, lastSeq);
      double seconds = (System.nanoTime() - start) / 1e9;
      long received = total(all) - before;
      System.out.printf(
          "%-8s seq %d..%d: %,d events received in %.2f s = %,.0f events/s in total"
              + " (%,.0f per client), gaps %d%n",
          round,
          firstSeq,
          lastSeq,
          received,
          seconds,
          received / seconds,
          received / seconds / clients,
          all.stream().mapToLong(c -> c.gaps.get()).sum());
    }
    System.gc();
    Thread.sleep(200);
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf(
        "heap after GC: %.1f MiB (replay buffer of %,d events included; clients share the JVM)%n",
        heap / 1048576.0, EventBus.DEFAULT_BUFFER_CAPACITY);
    await(vertx.close());
  }

  /** Publishes, pausing whenever a client is half a queue behind so nothing is dropped. */
  private static void publish(EventBus bus, List<Client> clients, int events) {
    EventPayload payload = new EventPayload.Log("stdout", "Step 3/7 : RUN npm ci");
    long limit = EventBus.DEFAULT_QUEUE_BOUND / 2;
    for (int i = 0; i < events; i++) {
      if (i % 256 == 0) {
        long published = bus.lastSeq();
        awaitClients(clients, published - limit);
      }
      bus.publish("r1", API, payload);
    }
  }

  /** Waits until every client has seen {@code seq}; fails after 10 s without progress. */
  private static void awaitClients(List<Client> clients, long seq) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (slowest(clients) < seq) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "clients stalled below seq "
                + seq
                + ": "
                + clients.stream().map(c -> c.lastSeq + "/" + c.received).toList());
      }
      // Parked, not spinning: the 2 cores are for the server and the clients.
      LockSupport.parkNanos(50_000);
    }
  }

  private static long slowest(List<Client> clients) {
    long min = Long.MAX_VALUE;
    for (Client c : clients) {
      min = Math.min(min, c.lastSeq);
    }
    return min;
  }

  private static long total(List<Client> clients) {
    return clients.stream().mapToLong(c -> c.received.get()).sum();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private EventsThroughput() {}
}
