package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.cli.client.WebSocketClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI's own websocket client against a real vert.x websocket server on 127.0.0.1. */
class WebSocketClientIT {
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer s3cret");

  private Vertx vertx;
  private HttpServer server;
  private volatile Consumer<ServerWebSocket> behaviour = ws -> {};
  private final CompletableFuture<Short> closedWith = new CompletableFuture<>();
  private final CompletableFuture<Buffer> pong = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  if (!"Bearer s3cret".equals(request.getHeader("Authorization"))) {
                    request
                        .response()
                        .setStatusCode(401)
                        .putHeader("Content-Type", "application/json")
                        .end("{\"code\":\"UNAUTHORIZED\"}");
                    return;
                  }
                  request
                      .toWebSocket()
                      .onSuccess(
                          ws -> {
                            ws.closeHandler(v -> closedWith.complete(ws.closeStatusCode()));
                            ws.pongHandler(pong::complete);
                            behaviour.accept(ws);
                          });
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private WebSocketClient connect() throws Exception {
    return WebSocketClient.connect("127.0.0.1", server.actualPort(), "/ws?x=1", AUTH, 1_000);
  }

  @Test
  void textMessagesOfEverySizeGoBothWaysMaskedAsTheServerRequires() throws Exception {
    behaviour = ws -> ws.textMessageHandler(ws::writeTextMessage);
    try (WebSocketClient client = connect()) {
      for (String text : new String[] {"", "hé 🌲", "x".repeat(200), "y".repeat(70_000)}) {
        client.sendText(text);
        assertThat(client.receive()).isEqualTo(text);
      }
    }
    assertThat(closedWith.get(5, TimeUnit.SECONDS)).isEqualTo((short) 1000);
  }

  @Test
  void fragmentedMessagesAreJoinedAndPingsAnsweredInBetween() throws Exception {
    behaviour =
        ws -> {
          ws.writeFrame(WebSocketFrame.textFrame("hel", false));
          ws.writeFrame(WebSocketFrame.pingFrame(Buffer.buffer("are you there")));
          ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("lo "), false));
          ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("wörld"), true));
          ws.writeTextMessage("next");
        };
    try (WebSocketClient client = connect()) {
      assertThat(client.receive()).isEqualTo("hello wörld");
      assertThat(client.receive()).isEqualTo("next");
      assertThat(pong.get(5, TimeUnit.SECONDS).toString()).isEqualTo("are you there");
    }
  }

  @Test
  void theServersCloseEndsTheStreamWithItsCodeAndReason() throws Exception {
    behaviour =
        ws -> {
          ws.writeTextMessage("last");
          ws.close((short) 1000, "done");
        };
    try (WebSocketClient client = connect()) {
      assertThat(client.receive()).isEqualTo("last");
      assertThat(client.receive()).isNull();
      assertThat(client.closeCode()).isEqualTo(1000);
      assertThat(client.closeReason()).isEqualTo("done");
      assertThat(client.receive()).isNull();
    }
  }

  @Test
  void theClientsCloseReachesTheServer() throws Exception {
    WebSocketClient client = connect();
    client.close();
    assertThat(closedWith.get(5, TimeUnit.SECONDS)).isEqualTo((short) 1000);
  }

  @Test
  void aRefusedHandshakeCarriesTheStatusAndBody() {
    assertThatThrownBy(
            () -> WebSocketClient.connect("127.0.0.1", server.actualPort(), "/ws", Map.of(), 1_000))
        .isInstanceOfSatisfying(
            WebSocketClient.HandshakeException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(new String(e.body())).contains("UNAUTHORIZED");
            });
  }
}
