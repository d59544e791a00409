package dev.grove.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Handshake details; framing against a real server is in the e2e module's WebSocketClientIT. */
class WebSocketClientTest {

  @Test
  void theAcceptKeyIsRfc6455s() {
    assertThat(WebSocketClient.accept("dGhlIHNhbXBsZSBub25jZQ=="))
        .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  @Test
  void aServerThatDoesNotProveItReadTheKeyIsRefused() throws Exception {
    assertThatThrownBy(
            () ->
                against(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Accept: bm9wZQ==\r\n\r\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Sec-WebSocket-Accept");
  }

  @Test
  void anHttpAnswerThatIsNotAnUpgradeIsAHandshakeFailure() throws Exception {
    assertThatThrownBy(() -> against("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope"))
        .isInstanceOfSatisfying(
            WebSocketClient.HandshakeException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(new String(e.body(), StandardCharsets.UTF_8)).isEqualTo("nope");
            });
  }

  @Test
  void aServerThatAcceptsAndNeverAnswersTheHandshakeTimesOut() throws Exception {
    try (ScriptedWebSocketServer server = new ScriptedWebSocketServer(false)) {
      long started = System.nanoTime();
      assertThatThrownBy(
              () ->
                  assertTimeoutPreemptively(
                      Duration.ofSeconds(5),
                      () ->
                          WebSocketClient.connect(
                              "127.0.0.1", server.port(), "/", Map.of(), 1_000, 300)))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  @Timeout(10)
  void aLengthWithTheTopBitSetIsAProtocolError() throws Exception {
    byte[] frame = {(byte) 0x81, 127, (byte) 0xFF, 0, 0, 0, 0, 0, 0, 1};
    try (ScriptedWebSocketServer server = new ScriptedWebSocketServer(true, frame);
        WebSocketClient client =
            WebSocketClient.connect("127.0.0.1", server.port(), "/", Map.of(), 1_000)) {
      assertThatThrownBy(client::receive)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("protocol error");
    }
  }

  @Test
  @Timeout(10)
  void aPingAfterTheClientsCloseDoesNotFailTheClosingHandshake() throws Exception {
    try (ScriptedWebSocketServer server =
            new ScriptedWebSocketServer(
                true,
                ScriptedWebSocketServer.frame(0x9, new byte[] {1}),
                ScriptedWebSocketServer.close(1000, ""));
        WebSocketClient client =
            WebSocketClient.connect("127.0.0.1", server.port(), "/", Map.of(), 1_000)) {
      client.sendClose(WebSocketClient.NORMAL_CLOSURE);

      assertThat(client.receive()).isNull();
      assertThat(client.closeCode()).isEqualTo(WebSocketClient.NORMAL_CLOSURE);
    }
  }

  /** Connects to a one-shot server that reads the request's headers and answers {@code answer}. */
  private static void against(String answer) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread serving =
          new Thread(
              () -> {
                try (Socket socket = server.accept()) {
                  var in = socket.getInputStream();
                  int matched = 0;
                  byte[] end = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
                  while (matched < 4) {
                    int b = in.read();
                    if (b < 0) {
                      return;
                    }
                    matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
                  }
                  OutputStream out = socket.getOutputStream();
                  out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                  out.flush();
                  Thread.sleep(200);
                } catch (IOException | InterruptedException e) {
                  // the test sees what the client made of it
                }
              });
      serving.start();
      try {
        WebSocketClient.connect("127.0.0.1", server.getLocalPort(), "/", Map.of(), 1_000).close();
      } finally {
        serving.join(5_000);
      }
    }
  }
}
