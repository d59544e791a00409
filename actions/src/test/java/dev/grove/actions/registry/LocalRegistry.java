package dev.grove.actions.registry;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real registry (CNCF distribution, Debian's {@code docker-registry}) on a free loopback port,
 * storing under a test directory, optionally behind htpasswd Basic auth.
 */
public final class LocalRegistry implements AutoCloseable {

  private static final String INSTALL_HINT =
      "install it with `apt-get install docker-registry apache2-utils` (CI installs it)";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final String host;
  private final String user;
  private final String password;
  private final Path log;

  private LocalRegistry(Process process, String host, String user, String password, Path log) {
    this.process = process;
    this.host = host;
    this.user = user;
    this.password = password;
    this.log = log;
  }

  /** A registry without auth. */
  public static LocalRegistry start(Path dir) throws IOException, InterruptedException {
    return start(dir, null, null);
  }

  /** A registry that wants {@code user}/{@code password} by Basic auth (htpasswd, bcrypt). */
  public static LocalRegistry start(Path dir, String user, String password)
      throws IOException, InterruptedException {
    Path binary = registryBinary();
    Files.createDirectories(dir);
    String auth = "";
    if (user != null) {
      Path htpasswd = dir.resolve("htpasswd");
      Files.writeString(htpasswd, htpasswdLine(user, password));
      auth = "auth:\n  htpasswd:\n    realm: grove\n    path: " + htpasswd + "\n";
    }
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Path config = dir.resolve("config.yml");
      Files.writeString(
          config,
          "version: 0.1\n"
              + "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
              + "storage:\n  filesystem:\n    rootdirectory: "
              + dir.resolve("storage")
              + "\n  delete:\n    enabled: true\n"
              + "http:\n  addr: 127.0.0.1:"
              + port
              + "\n"
              + auth);
      Path log = dir.resolve("registry-" + port + ".log");
      Process process =
          new ProcessBuilder(binary.toString(), "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      String host = "127.0.0.1:" + port;
      try {
        awaitUp(process, host, log);
        return new LocalRegistry(process, host, user, password, log);
      } catch (IOException e) {
        destroy(process);
        last = e; // most likely the port was taken between probing and binding: try another
      }
    }
    throw last;
  }

  private static Path registryBinary() {
    Path debian = Path.of("/usr/bin/docker-registry");
    if (Files.isExecutable(debian)) {
      return debian;
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : path.split(":")) {
      for (String name : List.of("docker-registry", "registry")) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "No registry server: neither /usr/bin/docker-registry nor `registry` on the PATH; "
            + INSTALL_HINT);
  }

  private static String htpasswdLine(String user, String password)
      throws IOException, InterruptedException {
    Path htpasswd = Path.of("/usr/bin/htpasswd");
    if (!Files.isExecutable(htpasswd)) {
      throw new IllegalStateException("No /usr/bin/htpasswd; " + INSTALL_HINT);
    }
    Process process =
        new ProcessBuilder(htpasswd.toString(), "-Bbn", user, password)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("htpasswd -Bbn failed: " + out);
    }
    return out.strip() + "\n";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void awaitUp(Process process, String host, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    URI v2 = URI.create("http://" + host + "/v2/");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "The registry exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        HttpURLConnection connection = (HttpURLConnection) v2.toURL().openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(2000);
        int status = connection.getResponseCode();
        connection.disconnect();
        if (status == 200 || status == 401) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IOException(
        "The registry did not answer on "
            + v2
            + " in "
            + START_TIMEOUT
            + ":\n"
            + Files.readString(log));
  }

  public String host() {
    return host;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    destroy(process);
  }

  /** SIGKILL, as a crash: open connections are cut, the port refuses from then on. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  private static void destroy(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
