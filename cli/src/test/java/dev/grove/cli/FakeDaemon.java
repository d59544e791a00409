package dev.grove.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.grove.api.http.DaemonInfo;
import dev.grove.api.http.Health;
import dev.grove.api.http.Routes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Emulates the daemon's HTTP API with the JDK's server; each test sets the answers. */
public final class FakeDaemon implements AutoCloseable {
  public static final String TOKEN = "fake-token";

  /** One canned answer. */
  public record Answer(int status, Object body) {}

  public final List<String> requestBodies = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final String buildId;
  private volatile Runnable onShutdown = () -> {};

  public FakeDaemon(String buildId) throws IOException {
    this.buildId = buildId;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
    answer(Routes.HEALTH, 200, new Health("ok", ProcessHandle.current().pid(), buildId, 65_000, 2));
  }

  public FakeDaemon answer(String route, int status, Object body) {
    answers.put(route, new Answer(status, body));
    return this;
  }

  /** Runs after answering {@link Routes#SHUTDOWN}. */
  public FakeDaemon onShutdown(Runnable action) {
    answer(Routes.SHUTDOWN, 200, Map.of("status", "stopping"));
    this.onShutdown = action;
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Writes daemon.json pointing here, as the real daemon would. */
  public void advertiseIn(Path groveHome, String token) throws IOException {
    Files.createDirectories(groveHome);
    Files.write(
        groveHome.resolve("daemon.json"),
        dev.grove.cli.TestJson.MAPPER.writeValueAsBytes(
            new DaemonInfo(port(), ProcessHandle.current().pid(), token, buildId)));
  }

  private void handle(HttpExchange exchange) throws IOException {
    requestBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    Answer answer;
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      answer = new Answer(401, Map.of("code", "UNAUTHORIZED", "message", "wrong token"));
    } else {
      answer =
          answers.getOrDefault(
              exchange.getRequestURI().getPath(),
              new Answer(404, Map.of("code", "NOT_FOUND", "message", "no such route")));
    }
    byte[] body = dev.grove.cli.TestJson.MAPPER.writeValueAsBytes(answer.body());
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
    if (exchange.getRequestURI().getPath().equals(Routes.SHUTDOWN) && answer.status() == 200) {
      onShutdown.run();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
