package dev.grove.cli.client;

import dev.grove.cli.FakeDaemon;
import java.nio.file.Files;
import java.nio.file.Path;

/** A daemon process for launch tests: the fake HTTP API, daemon.json, exit on shutdown. */
public final class FakeDaemonMain {
  private FakeDaemonMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getenv("GROVE_HOME"));
    FakeDaemon daemon = new FakeDaemon(System.getProperty("grove.buildId"));
    daemon.onShutdown(
        () -> {
          try {
            Files.deleteIfExists(home.resolve("daemon.json"));
          } catch (Exception e) {
            // exiting anyway
          }
          new Thread(() -> System.exit(0)).start();
        });
    System.out.println("fake daemon on port " + daemon.port());
    daemon.advertiseIn(home, FakeDaemon.TOKEN);
  }
}
