package dev.grove.orchestrator.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.api.http.DaemonInfo;
import dev.grove.orchestrator.project.ProjectService;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real daemon on a free loopback port for the ITs of this package, and a client as the CLI's. */
final class TestDaemons {
  static final ObjectMapper JSON = new ObjectMapper();

  private TestDaemons() {}

  /**
   * HTTP/1.1 as the CLI speaks it: the JDK client's default h2c upgrade races the daemon's close
   * after a shutdown answer (the answer can lose to the server's GOAWAY).
   */
  static HttpClient http() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  /** A daemon in {@code home} with {@code projects}; {@code onExit} runs when it exits. */
  static Daemon start(Path home, ProjectService projects, Runnable onExit) throws Exception {
    return Daemon.start(home, router -> projects, "test-build", onExit)
        .toCompletionStage()
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  /** What the daemon wrote to {@code home/daemon.json}. */
  static DaemonInfo info(Path home) throws IOException {
    return JSON.readValue(Files.readAllBytes(home.resolve("daemon.json")), DaemonInfo.class);
  }

  static void stop(Daemon daemon) throws Exception {
    daemon.shutdown().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
