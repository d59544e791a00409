package dev.grove.cli.client;

import dev.grove.api.http.DaemonInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** {@code $GROVE_HOME} (else {@code ~/.grove}) and the daemon's files in it. */
public record GroveHome(Path dir) {
  public static final String ENV = "GROVE_HOME";

  public static GroveHome fromEnv(Map<String, String> env) {
    String given = env.get(ENV);
    Path dir =
        given != null && !given.isBlank()
            ? Path.of(given)
            : Path.of(System.getProperty("user.home"), ".grove");
    return new GroveHome(dir.toAbsolutePath().normalize());
  }

  public Path infoFile() {
    return dir.resolve("daemon.json");
  }

  public Path logFile() {
    return dir.resolve("daemon.log");
  }

  public Path cliLogFile() {
    return dir.resolve("cli.log");
  }

  /**
   * Held by a grove while it starts a daemon, so that two groves at once start one daemon. Not
   * daemon.lock: the daemon holds that one for its whole life.
   */
  Path lockFile() {
    return dir.resolve("start.lock");
  }

  /** daemon.json's contents; empty when it is missing or unreadable. */
  public Optional<DaemonInfo> readInfo() {
    try {
      return Optional.ofNullable(Json.read(Files.readAllBytes(infoFile()), DaemonInfo.class));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
