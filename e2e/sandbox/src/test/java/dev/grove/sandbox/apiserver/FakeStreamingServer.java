package dev.grove.sandbox.apiserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A container runtime's streaming server as far as the API's upgrade proxy sees it, on 127.0.0.1:
 * it records each request head and answers as {@link Mode} says.
 */
final class FakeStreamingServer implements AutoCloseable {

  enum Mode {
    /** 101 for SPDY/3.1, then every byte echoed. */
    SPDY_ECHO,
    /** Closes the connection as soon as the request head is read. */
    CLOSE,
    /** 403 without a body, then close (what a websocket server does for an unknown protocol). */
    REFUSE,
    /** A websocket v4 channel exec: "hi\n" on stdout, then a Success status, then close. */
    WEBSOCKET_EXEC,
    /** A websocket port forward: the two port frames, then data frames echoed on channel 0. */
    WEBSOCKET_PORT_FORWARD
  }

  final List<String> heads = new CopyOnWriteArrayList<>();

  /** One entry per connection whose client closed it (its read saw the end). */
  final BlockingQueue<String> closedByClient = new LinkedBlockingQueue<>();

  private final ServerSocket server;
  private final Mode mode;

  FakeStreamingServer(Mode mode) throws IOException {
    this.mode = mode;
    this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "fake-streaming-server");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread t = new Thread(() -> serve(socket), "fake-streaming-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      String head = readHead(in);
      heads.add(head);
      switch (mode) {
        case SPDY_ECHO -> {
          out.write(
              ("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                      + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          byte[] buffer = new byte[4096];
          int n;
          while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            out.flush();
          }
          closedByClient.add(head);
        }
        case CLOSE -> {
          // nothing: the try closes the socket
        }
        case REFUSE -> {
          out.write("HTTP/1.1 403 Forbidden\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
        case WEBSOCKET_EXEC -> {
          acceptWebSocket(head, out);
          frame(out, 1, "hi\n".getBytes(StandardCharsets.UTF_8));
          frame(
              out, 3, "{\"metadata\":{},\"status\":\"Success\"}".getBytes(StandardCharsets.UTF_8));
          out.write(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xE8});
          out.flush();
        }
        case WEBSOCKET_PORT_FORWARD -> {
          acceptWebSocket(head, out);
          frame(out, 0, new byte[] {(byte) 0x90, 0x1F}); // 8080, little endian
          frame(out, 1, new byte[] {(byte) 0x90, 0x1F});
          while (true) {
            byte[] message = readClientFrame(in);
            if (message == null) {
              closedByClient.add(head);
              return;
            }
            if (message.length > 1 && message[0] == 0) {
              byte[] data = new byte[message.length - 1];
              System.arraycopy(message, 1, data, 0, data.length);
              frame(out, 0, data);
            }
          }
        }
        default -> throw new IllegalStateException(mode.toString());
      }
    } catch (IOException e) {
      // the test's client went away
    }
  }

  private static void acceptWebSocket(String head, OutputStream out) throws IOException {
    String key = header(head, "Sec-WebSocket-Key");
    String protocol = header(head, "Sec-WebSocket-Protocol");
    String chosen = protocol == null ? null : protocol.split(",")[0].trim();
    String accept;
    try {
      accept =
          Base64.getEncoder()
              .encodeToString(
                  MessageDigest.getInstance("SHA-1")
                      .digest(
                          (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                              .getBytes(StandardCharsets.ISO_8859_1)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    out.write(
        ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: "
                + accept
                + "\r\n"
                + (chosen == null ? "" : "Sec-WebSocket-Protocol: " + chosen + "\r\n")
                + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** A binary frame from the server (unmasked): the channel byte, then {@code data}. */
  private static void frame(OutputStream out, int channel, byte[] data) throws IOException {
    int length = data.length + 1;
    out.write(0x82);
    if (length < 126) {
      out.write(length);
    } else {
      out.write(126);
      out.write(length >> 8);
      out.write(length & 0xff);
    }
    out.write(channel);
    out.write(data);
    out.flush();
  }

  /** A client's data frame, unmasked; null at a close frame or the end of the stream. */
  private static byte[] readClientFrame(InputStream in) throws IOException {
    while (true) {
      int b0 = in.read();
      int b1 = in.read();
      if (b0 < 0 || b1 < 0) {
        return null;
      }
      long length = b1 & 0x7f;
      if (length == 126) {
        length = (in.read() << 8) | in.read();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | in.read();
        }
      }
      byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
      byte[] payload = in.readNBytes((int) length);
      if (mask != null) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i % 4];
        }
      }
      int opcode = b0 & 0x0f;
      if (opcode == 8) {
        return null;
      }
      if (opcode == 1 || opcode == 2 || opcode == 0) {
        return payload;
      }
    }
  }

  static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  static List<String> headers(String head, String name) {
    return java.util.Arrays.stream(head.split("\r\n"))
        .filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .toList();
  }

  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the head: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
