package dev.grove.sandbox.apiserver;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upgrade request proxied byte for byte to a container runtime's streaming server, as
 * kube-apiserver's upgrade-aware proxy does: the client's request line and the headers the upgrade
 * needs go to the runtime's URL over a connection already open to it; the runtime's answer goes
 * back to the client, and after a {@code 101} the bytes flow both ways, unparsed (SPDY/3.1 and
 * websocket channel protocols alike), until either side closes. Nothing else of the client's
 * request (its bearer token above all) reaches the runtime.
 */
final class UpgradeProxy {

  private static final Logger LOG = LoggerFactory.getLogger(UpgradeProxy.class);

  /** The request headers an upgrade needs, forwarded as the client sent them (all values). */
  static final List<String> FORWARDED =
      List.of(
          "Connection",
          "Upgrade",
          "Sec-WebSocket-Key",
          "Sec-WebSocket-Version",
          "Sec-WebSocket-Protocol",
          "Sec-WebSocket-Extensions",
          "X-Stream-Protocol-Version");

  /** Response headers that describe the runtime's body framing, not the upgrade. */
  private static final Set<String> NOT_RELAYED =
      Set.of("content-length", "transfer-encoding", "keep-alive");

  private static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_REFUSAL_BODY = 64 * 1024;

  /** How long the runtime may take to answer the upgrade. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  private UpgradeProxy() {}

  /**
   * The runtime's answer to the upgrade request: status, headers (in order), and its body if not
   * 101.
   */
  record Answer(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
    String header(String name) {
      for (Map.Entry<String, String> h : headers) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return h.getValue();
        }
      }
      return null;
    }
  }

  /** The request the runtime gets: the client's method, the runtime URL's path, upgrade headers. */
  static byte[] requestHead(String method, URI target, List<Map.Entry<String, String>> headers) {
    StringBuilder head = new StringBuilder();
    String path =
        target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
    if (target.getRawQuery() != null) {
      path += "?" + target.getRawQuery();
    }
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(target.getHost());
    if (target.getPort() > 0) {
      head.append(':').append(target.getPort());
    }
    head.append("\r\n");
    for (Map.Entry<String, String> h : headers) {
      for (String name : FORWARDED) {
        if (name.equalsIgnoreCase(h.getKey())) {
          head.append(name)
              .append(": ")
              .append(h.getValue().replaceAll("[\r\n]", " "))
              .append("\r\n");
        }
      }
    }
    head.append("Content-Length: 0\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Sends the upgrade request over {@code channel} and reads the runtime's answer: its head only
   * after a {@code 101} (what follows belongs to the upgraded protocol), its body too otherwise.
   */
  static Answer exchange(SocketChannel channel, byte[] requestHead) throws IOException {
    channel.socket().setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
    OutputStream out = channel.socket().getOutputStream();
    out.write(requestHead);
    out.flush();
    InputStream in = channel.socket().getInputStream();
    String head = readHead(in);
    String[] lines = head.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new IOException("the container runtime answered no HTTP: " + lines[0]);
    }
    int status;
    try {
      status = Integer.parseInt(statusLine[1]);
    } catch (NumberFormatException e) {
      throw new IOException("the container runtime answered no HTTP: " + lines[0], e);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(
            Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
      }
    }
    Answer answer =
        new Answer(status, statusLine.length > 2 ? statusLine[2] : "", headers, new byte[0]);
    if (status == 101) {
      channel.socket().setSoTimeout(0);
      return answer;
    }
    return new Answer(status, answer.reason(), headers, readBody(in, answer));
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b;
      try {
        b = in.read();
      } catch (SocketTimeoutException e) {
        throw new IOException(
            "the container runtime did not answer the upgrade in "
                + ANSWER_TIMEOUT.toSeconds()
                + " s",
            e);
      }
      if (b < 0) {
        throw new IOException("the container runtime closed the connection without an answer");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
      if (head.size() > MAX_HEAD) {
        throw new IOException("the container runtime's answer has a head over 64 KiB");
      }
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.length() - 4);
  }

  /**
   * A refusal's body: Content-Length bytes, or up to the close; at most 64 KiB, bounded in time.
   */
  private static byte[] readBody(InputStream in, Answer answer) throws IOException {
    String length = answer.header("Content-Length");
    long expected = -1;
    if (length != null) {
      try {
        expected = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        expected = -1;
      }
    }
    if ("chunked".equalsIgnoreCase(String.valueOf(answer.header("Transfer-Encoding")))) {
      return new byte[0]; // not worth decoding: the status alone says the upgrade was refused
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    long limit = expected >= 0 ? Math.min(expected, MAX_REFUSAL_BODY) : MAX_REFUSAL_BODY;
    try {
      while (body.size() < limit) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - body.size()));
        if (n < 0) {
          break;
        }
        body.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // what came is what there is
    }
    return body.toByteArray();
  }

  /**
   * Answers the client's upgrade with the runtime's {@code 101} and its headers, then relays bytes
   * both ways until either side closes. Runs on the request's context.
   */
  static void relay(HttpServerRequest request, Answer answer, SocketChannel channel, String what) {
    Context context = io.vertx.core.Vertx.currentContext();
    for (Map.Entry<String, String> h : answer.headers()) {
      if (!NOT_RELAYED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        request.response().headers().add(h.getKey(), h.getValue());
      }
    }
    takeOver(request)
        .onFailure(
            e -> {
              LOG.warn("{}: the client's connection could not be taken over", what, e);
              closeQuietly(channel);
              ApiStatus.send(
                  request,
                  500,
                  ApiStatus.failure(
                      500,
                      "InternalError",
                      what + ": the stream could not be opened: " + e.getMessage()));
            })
        .onSuccess(socket -> pipe(socket, channel, context, what));
  }

  /**
   * The client's connection as a socket, the response head written with status 101. vert.x's {@code
   * toNetSocket()} does that for a GET upgrade (websockets) but refuses a POST one, which is how
   * SPDY clients (kubectl's exec and port-forward) upgrade; for those the same vert.x step is
   * called as for a GET, through its package-private method.
   */
  @SuppressWarnings("unchecked")
  private static Future<NetSocket> takeOver(HttpServerRequest request) {
    if (request.method() == HttpMethod.GET) {
      return request.toNetSocket();
    }
    try {
      Method netSocket =
          request
              .response()
              .getClass()
              .getDeclaredMethod("netSocket", HttpMethod.class, MultiMap.class);
      netSocket.setAccessible(true);
      return (Future<NetSocket>)
          netSocket.invoke(request.response(), HttpMethod.GET, request.headers());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Future.failedFuture(
          new IllegalStateException(
              "this vert.x cannot take over a " + request.method() + " upgrade's connection", e));
    }
  }

  private static void pipe(NetSocket client, SocketChannel runtime, Context context, String what) {
    ExecutorService toRuntime =
        Executors.newSingleThreadExecutor(r -> daemon(r, "sandbox-stream-in " + what));
    OutputStream runtimeOut;
    InputStream runtimeIn;
    try {
      runtimeOut = runtime.socket().getOutputStream();
      runtimeIn = runtime.socket().getInputStream();
    } catch (IOException e) {
      closeQuietly(runtime);
      client.close();
      toRuntime.shutdown();
      return;
    }
    client.handler(
        data -> {
          client.pause();
          byte[] bytes = data.getBytes();
          submit(
              toRuntime,
              () -> {
                try {
                  runtimeOut.write(bytes);
                  runtimeOut.flush();
                  context.runOnContext(v -> client.resume());
                } catch (IOException e) {
                  LOG.debug("{}: the runtime side closed", what, e);
                  closeQuietly(runtime);
                }
              },
              runtime);
        });
    Runnable end =
        () -> {
          closeQuietly(runtime);
          toRuntime.shutdown();
        };
    client.endHandler(v -> submit(toRuntime, end, runtime));
    client.closeHandler(v -> submit(toRuntime, end, runtime));
    Thread fromRuntime =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try {
                while (true) {
                  int n = runtimeIn.read(buffer);
                  if (n < 0) {
                    break;
                  }
                  Buffer chunk = Buffer.buffer(n);
                  chunk.appendBytes(buffer, 0, n);
                  client.write(chunk).toCompletionStage().toCompletableFuture().get();
                }
              } catch (IOException | ExecutionException e) {
                LOG.debug("{}: a side closed", what, e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              client.close();
              closeQuietly(runtime);
            },
            "sandbox-stream-out " + what);
    fromRuntime.setDaemon(true);
    fromRuntime.start();
  }

  /** Runs {@code task} after the writes queued before it; once the stream has ended, closes. */
  private static void submit(ExecutorService writer, Runnable task, SocketChannel runtime) {
    try {
      writer.execute(task);
    } catch (RejectedExecutionException e) {
      closeQuietly(runtime); // the stream has ended already
    }
  }

  static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing a stream to the runtime", e);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
