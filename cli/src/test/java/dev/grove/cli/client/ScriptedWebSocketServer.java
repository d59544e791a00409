package dev.grove.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A one-connection websocket server on loopback that completes the handshake (unless told not to
 * answer) and then writes the frames a test gives it, byte for byte.
 */
final class ScriptedWebSocketServer implements AutoCloseable {
  private final ServerSocket server;
  private final Thread serving;
  private volatile Socket socket;

  /**
   * @param handshake answer the opening handshake (false: accept the connection, say nothing)
   * @param frames written after the handshake
   */
  ScriptedWebSocketServer(boolean handshake, byte[]... frames) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    serving =
        new Thread(
            () -> {
              try {
                socket = server.accept();
                String key = readHeaders(socket.getInputStream());
                if (!handshake) {
                  return;
                }
                OutputStream out = socket.getOutputStream();
                out.write(
                    ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                            + WebSocketClient.accept(key)
                            + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                for (byte[] frame : frames) {
                  out.write(frame);
                }
                out.flush();
              } catch (IOException e) {
                // the test sees what the client made of it
              }
            },
            "scripted-websocket-server");
    serving.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** An unmasked server frame with a short payload. */
  static byte[] frame(int opcode, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x80 | opcode);
    frame.write(payload.length);
    frame.writeBytes(payload);
    return frame.toByteArray();
  }

  static byte[] text(String text) {
    return frame(0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] close(int code, String reason) {
    byte[] why = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + why.length];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(why, 0, payload, 2, why.length);
    return frame(0x8, payload);
  }

  private static String readHeaders(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed");
      }
      head.write(b);
    }
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "";
  }

  @Override
  public void close() throws IOException {
    server.close();
    Socket open = socket;
    if (open != null) {
      open.close();
    }
    try {
      serving.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
