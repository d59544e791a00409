package dev.grove.cli.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal RFC 6455 websocket client over a plain {@link Socket}, for the daemon on loopback: the
 * opening handshake (with extra headers such as {@code Authorization}), masked client frames, text
 * messages (fragmented or not), ping/pong and the closing handshake. No TLS, no extensions, no
 * binary messages. The JDK's {@code java.net.http} has a websocket client, but creating one costs
 * the CLI hundreds of milliseconds of start-up (see {@link DaemonClient}); this costs next to
 * nothing.
 *
 * <p>One thread reads ({@link #receive}); any thread may send or {@link #close}.
 */
public final class WebSocketClient implements Closeable {
  /** The code of a normal close. */
  public static final int NORMAL_CLOSURE = 1000;

  /** No code was given (or no close frame came). */
  public static final int NO_STATUS = 1005;

  static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** Messages larger than this are refused: the daemon's are single log lines or notes. */
  static final int MAX_MESSAGE_BYTES = 16 << 20;

  /** How long the server may take to answer the opening handshake, as for the REST calls. */
  static final int HANDSHAKE_TIMEOUT_MS = 2_000;

  /** The largest frame this client sends; longer messages are fragmented. */
  static final int MAX_FRAME_BYTES = 16 << 10;

  private static final int OP_CONTINUATION = 0x0;
  private static final int OP_TEXT = 0x1;
  private static final int OP_BINARY = 0x2;
  private static final int OP_CLOSE = 0x8;
  private static final int OP_PING = 0x9;
  private static final int OP_PONG = 0xA;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final SecureRandom random;
  private boolean closeSent;
  private volatile boolean closeReceived;
  private volatile int closeCode = NO_STATUS;
  private volatile String closeReason = "";

  /** The server did not switch protocols: its HTTP status and body. */
  public static final class HandshakeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient byte[] body;

    HandshakeException(int status, String message, byte[] body) {
      super(message);
      this.status = status;
      this.body = body;
    }

    public int status() {
      return status;
    }

    public byte[] body() {
      return body.clone();
    }
  }

  private WebSocketClient(Socket socket, InputStream in, OutputStream out, SecureRandom random) {
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.random = random;
  }

  /**
   * Connects and completes the opening handshake.
   *
   * @param path the request target, with its query
   * @param headers extra request headers (e.g. {@code Authorization})
   * @throws java.net.ConnectException when nothing listens there
   * @throws HandshakeException when the server answers without switching protocols
   */
  public static WebSocketClient connect(
      String host, int port, String path, Map<String, String> headers, int connectTimeoutMs)
      throws IOException {
    return connect(host, port, path, headers, connectTimeoutMs, HANDSHAKE_TIMEOUT_MS);
  }

  /**
   * Connects and completes the opening handshake, waiting at most {@code handshakeTimeoutMs} for
   * the server's answer (a process that accepts and never answers must not hang the CLI); reads
   * after it wait as long as the stream lasts.
   *
   * @throws java.net.SocketTimeoutException when the server does not answer the handshake in time
   */
  public static WebSocketClient connect(
      String host,
      int port,
      String path,
      Map<String, String> headers,
      int connectTimeoutMs,
      int handshakeTimeoutMs)
      throws IOException {
    Socket socket = new Socket(Proxy.NO_PROXY);
    try {
      socket.connect(new InetSocketAddress(host, port), connectTimeoutMs);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(handshakeTimeoutMs);
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16 << 10);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 << 10);
      SecureRandom random = new SecureRandom();
      byte[] nonce = new byte[16];
      random.nextBytes(nonce);
      String key = Base64.getEncoder().encodeToString(nonce);
      StringBuilder request = new StringBuilder(256);
      request
          .append("GET ")
          .append(path)
          .append(" HTTP/1.1\r\nHost: ")
          .append(host)
          .append(':')
          .append(port)
          .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ")
          .append(key)
          .append("\r\nSec-WebSocket-Version: 13\r\n");
      headers.forEach(
          (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      request.append("\r\n");
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      handshake(in, key);
      socket.setSoTimeout(0);
      return new WebSocketClient(socket, in, out, random);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static void handshake(InputStream in, String key) throws IOException {
    String status = readLine(in);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: " + status);
    }
    int code;
    try {
      code = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP answer: " + status, e);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    if (code != 101) {
      byte[] body = new byte[0];
      String length = headers.get("content-length");
      if (length != null) {
        try {
          int n = Integer.parseInt(length);
          if (n >= 0 && n <= MAX_MESSAGE_BYTES) {
            body = in.readNBytes(n);
          }
        } catch (NumberFormatException e) {
          // no body then
        }
      }
      throw new HandshakeException(code, "the server answered " + status, body);
    }
    if (!"websocket".equalsIgnoreCase(headers.get("upgrade"))) {
      throw new IOException("the server switched to '" + headers.get("upgrade") + "'");
    }
    if (!accept(key).equals(headers.get("sec-websocket-accept"))) {
      throw new IOException("the server's Sec-WebSocket-Accept does not match the key");
    }
  }

  /** The {@code Sec-WebSocket-Accept} a server must answer to {@code key}. */
  static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder()
          .encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the connection closed during the handshake");
      }
      if (b == '\n') {
        break;
      }
      if (line.size() > 8192) {
        throw new IOException("an HTTP header line longer than 8 KiB");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  /**
   * Sends one text message, in frames of at most {@value #MAX_FRAME_BYTES} bytes: servers limit
   * frame sizes (vert.x to 64 KiB by default) more tightly than message sizes.
   */
  public synchronized void sendText(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int offset = 0;
    int opcode = OP_TEXT;
    do {
      int length = Math.min(MAX_FRAME_BYTES, bytes.length - offset);
      boolean fin = offset + length == bytes.length;
      send(opcode, fin, java.util.Arrays.copyOfRange(bytes, offset, offset + length));
      offset += length;
      opcode = OP_CONTINUATION;
    } while (offset < bytes.length);
  }

  /**
   * The next text message, fragments joined; answers pings on the way. Null once the server closed
   * the connection (its close frame is answered; {@link #closeCode} tells why).
   *
   * @throws EOFException when the connection ends without a close frame
   */
  public String receive() throws IOException {
    ByteArrayOutputStream message = null;
    while (true) {
      if (closeReceived) {
        return null;
      }
      int b0 = in.read();
      if (b0 < 0) {
        throw new EOFException("the connection closed without a close frame");
      }
      int b1 = readByte();
      boolean fin = (b0 & 0x80) != 0;
      int opcode = b0 & 0x0F;
      if ((b0 & 0x70) != 0) {
        throw protocolError("a frame with reserved bits set (no extension was agreed)");
      }
      long length = b1 & 0x7F;
      if (length == 126) {
        length = (readByte() << 8) | readByte();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | readByte();
        }
        if (length < 0) {
          throw protocolError("a frame length with the most significant bit set");
        }
      }
      boolean masked = (b1 & 0x80) != 0;
      byte[] mask = masked ? readExactly(4) : null;
      if (length > MAX_MESSAGE_BYTES
          || (message != null && message.size() + length > MAX_MESSAGE_BYTES)) {
        throw protocolError("a message larger than " + (MAX_MESSAGE_BYTES >> 20) + " MiB");
      }
      byte[] payload = readExactly((int) length);
      if (mask != null) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i & 3];
        }
      }
      if (opcode >= 0x8) {
        if (!fin || length > 125) {
          throw protocolError("a fragmented or oversized control frame");
        }
        control(opcode, payload);
        continue;
      }
      if (opcode == OP_BINARY) {
        throw protocolError("a binary message (the daemon sends text)");
      }
      if (opcode == OP_TEXT) {
        if (message != null) {
          throw protocolError("a new message before the last one's final fragment");
        }
        message = new ByteArrayOutputStream((int) Math.max(16, length));
      } else if (opcode == OP_CONTINUATION) {
        if (message == null) {
          throw protocolError("a continuation frame without a message");
        }
      } else {
        throw protocolError("an unknown opcode " + opcode);
      }
      message.write(payload);
      if (fin) {
        return message.toString(StandardCharsets.UTF_8);
      }
    }
  }

  private void control(int opcode, byte[] payload) throws IOException {
    switch (opcode) {
      case OP_PING -> pong(payload);
      case OP_PONG -> {
        // unsolicited pongs are allowed and mean nothing
      }
      case OP_CLOSE -> {
        if (payload.length >= 2) {
          closeCode = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
          closeReason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
        closeReceived = true;
        // echo the code, as RFC 6455 asks, then the server closes the TCP connection
        sendClose(closeCode == NO_STATUS ? NORMAL_CLOSURE : closeCode);
      }
      default -> throw protocolError("an unknown control opcode " + opcode);
    }
  }

  /** The code of the server's close frame; {@link #NO_STATUS} before one came or without one. */
  public int closeCode() {
    return closeCode;
  }

  public String closeReason() {
    return closeReason;
  }

  private IOException protocolError(String what) {
    try {
      sendClose(1002);
    } catch (IOException e) {
      // the connection is being given up anyway
    }
    return new IOException("websocket protocol error: " + what);
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the connection closed inside a frame");
    }
    return b;
  }

  private byte[] readExactly(int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n) {
      throw new EOFException("the connection closed inside a frame");
    }
    return bytes;
  }

  /** Answers a ping, unless this side already sent its close (then no data frame may follow). */
  private synchronized void pong(byte[] payload) throws IOException {
    if (!closeSent) {
      send(OP_PONG, payload);
    }
  }

  /** Starts the closing handshake; {@link #receive} then reads on until the server's close. */
  synchronized void sendClose(int code) throws IOException {
    if (closeSent) {
      return;
    }
    send(OP_CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
    closeSent = true;
  }

  private void send(int opcode, byte[] payload) throws IOException {
    send(opcode, true, payload);
  }

  /** Writes one frame, masked with a fresh key as a client must. */
  private synchronized void send(int opcode, boolean fin, byte[] payload) throws IOException {
    if (closeSent) {
      throw new IOException("the websocket is closing");
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    out.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else if (payload.length <= 0xFFFF) {
      out.write(0x80 | 126);
      out.write(payload.length >> 8);
      out.write(payload.length);
    } else {
      out.write(0x80 | 127);
      long length = payload.length;
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (length >> shift));
      }
    }
    out.write(mask);
    byte[] masked = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    out.write(masked);
    out.flush();
  }

  /** Sends a normal close (unless one was sent) and closes the connection. */
  @Override
  public void close() throws IOException {
    try {
      sendClose(NORMAL_CLOSURE);
    } catch (IOException e) {
      // the peer may be gone already; the socket is closed below either way
    } finally {
      socket.close();
    }
  }
}
