package dev.grove.sandbox.tool;

import dev.grove.sandbox.apiserver.SandboxCertificate;
import dev.grove.sandbox.node.ContainerdNode;
import dev.grove.sandbox.node.LinuxNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox cluster as its own process: {@code SandboxMain --data DIR [--port N] [--registry-port
 * R] [--simulated]}, with the API's bearer token in the environment ({@code GROVE_SANDBOX_TOKEN}: a
 * command line is anyone's to read), and the registry's password too ({@code
 * GROVE_SANDBOX_REGISTRY_PASSWORD}).
 *
 * <p>Starts the node (containerd, {@link ContainerdNode}, in {@code DIR/node}) when real containers
 * can run here, the sandbox registry on {@code 127.0.0.1:R} being where it pulls from; else, or
 * with {@code --simulated} or {@code GROVE_SANDBOX_RUNTIME=simulated} in the environment, the
 * kubelet simulates the containers. Then the Kubernetes API on {@code 127.0.0.1:N} (0, the default,
 * takes a free port) and the kubelet, and once the API answers writes {@code DIR/sandbox-api.json}:
 * {@code {"apiUrl": "https://127.0.0.1:PORT", "pid": PID, "certificate": PEM, "runtime":
 * "containerd"|"simulated", "runtimeReason": WHY_SIMULATED}}, atomically (0600), the certificate
 * being what its clients trust. On SIGTERM (or SIGINT) it stops (the node last: no container is
 * left running) and deletes that file. It logs to {@code DIR/sandbox.log}. When {@code DIR} is
 * removed under it ({@code rm -rf $GROVE_HOME}) it notices within seconds, stops the other
 * processes whose command line names {@code DIR} (the registry) and exits, so that nothing holds
 * the ports of a sandbox no one knows of; when only its file goes, it exits.
 *
 * <p>Exit codes: 0 after a clean stop, 1 when it cannot start (port taken, another sandbox running
 * on that folder), 2 for bad arguments or no token.
 */
public final class SandboxMain {

  /** What the process writes once it serves, for whoever started it. */
  public static final String API_FILE = "sandbox-api.json";

  /** Where the process logs. */
  public static final String LOG_FILE = "sandbox.log";

  /** The environment variable holding the API's bearer token. */
  public static final String TOKEN_ENV = "GROVE_SANDBOX_TOKEN";

  /** The environment variable holding the sandbox registry's password (user {@code grove}). */
  public static final String REGISTRY_PASSWORD_ENV = "GROVE_SANDBOX_REGISTRY_PASSWORD";

  /** {@code GROVE_SANDBOX_RUNTIME=simulated} keeps the kubelet simulated where containerd runs. */
  public static final String RUNTIME_ENV = "GROVE_SANDBOX_RUNTIME";

  /** The node's folder in the sandbox's. */
  public static final String NODE_DIR = "node";

  /** How long containerd may take to answer. */
  private static final Duration NODE_START_TIMEOUT = Duration.ofSeconds(30);

  /** How often it looks whether its folder is still there. */
  private static final Duration FOLDER_CHECK = Duration.ofSeconds(2);

  private static final String USAGE =
      "usage: SandboxMain --data DIR [--port N] [--registry-port R] [--simulated]";

  private SandboxMain() {}

  public static void main(String[] args) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("sandbox: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    String token = System.getenv(TOKEN_ENV);
    if (token == null || token.isBlank()) {
      System.err.println("sandbox: no token: set " + TOKEN_ENV + " to the API's bearer token");
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    int failed = run(arguments, token, System.err);
    if (failed != 0) {
      System.exit(failed);
    } // else stopped by a signal: the JVM is already shutting down
  }

  /** Runs until the JVM is asked to stop (then 0); the exit code when it cannot start. */
  static int run(Arguments arguments, String token, PrintStream err) {
    Path data = arguments.data().toAbsolutePath().normalize();
    try {
      SandboxTool.createPrivateDirectories(data);
    } catch (IOException e) {
      err.println("sandbox: cannot create " + data + ": " + e.getMessage());
      return 1;
    }
    // before the first logger exists: slf4j-simple reads its settings once
    System.setProperty(
        "org.slf4j.simpleLogger.logFile", data.resolve(LOG_FILE).toAbsolutePath().toString());
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    System.setProperty("org.slf4j.simpleLogger.log.io.fabric8", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.vertx", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.netty", "warn");
    Path apiFile = data.resolve(API_FILE);
    long running = runningPid(apiFile);
    if (running > 0) {
      err.println(
          "sandbox: another sandbox (pid "
              + running
              + ") serves from "
              + data
              + "; stop it first, or use another --data folder (or delete "
              + apiFile
              + " if that pid is no sandbox)");
      return 1;
    }
    PodRuntime runtime = PodRuntime.choose(arguments, data.resolve(NODE_DIR), System.getenv());
    Sandbox sandbox;
    try {
      sandbox = Sandbox.start(arguments.port(), token, runtime.node());
    } catch (IllegalStateException e) {
      err.println("sandbox: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Files.deleteIfExists(apiFile);
                  } catch (IOException e) {
                    err.println("sandbox: cannot delete " + apiFile + ": " + e.getMessage());
                  }
                  sandbox.close();
                  stopped.countDown();
                },
                "sandbox-stop"));
    try {
      checkAnswers(sandbox.url(), sandbox.certificatePem());
      SandboxTool.writePrivate(
          apiFile,
          "{\"apiUrl\": \""
              + sandbox.url()
              + "\", \"pid\": "
              + ProcessHandle.current().pid()
              + ", \"certificate\": \""
              + sandbox.certificatePem().replace("\n", "\\n")
              + "\", \"runtime\": \""
              + runtime.name()
              + "\", \"runtimeReason\": "
              + jsonString(runtime.reason())
              + "}\n");
    } catch (IOException e) {
      err.println("sandbox: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    watchFolder(data, apiFile);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Every {@link #FOLDER_CHECK}: when {@code data} is gone, stops the processes that serve from it
   * (the registry) and exits; when only the API file is gone, exits. The exit runs the shutdown
   * hook, which stops the sandbox.
   */
  private static void watchFolder(Path data, Path apiFile) {
    ScheduledExecutorService watch =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "sandbox-folder-watch");
              thread.setDaemon(true);
              return thread;
            });
    watch.scheduleWithFixedDelay(
        () -> {
          if (Files.isDirectory(data) && Files.isRegularFile(apiFile)) {
            return;
          }
          Logger log = LoggerFactory.getLogger(SandboxMain.class);
          if (!Files.isDirectory(data)) {
            log.warn("{} was removed: stopping its registry and this sandbox", data);
            SandboxTool.stopStrays(data);
          } else {
            log.warn("{} was removed: stopping", apiFile);
          }
          System.exit(0);
        },
        FOLDER_CHECK.toMillis(),
        FOLDER_CHECK.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static String jsonString(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * What runs the pods' containers: {@code containerd} (a started node) or {@code simulated}, and
   * why it is simulated (empty for containerd).
   */
  record PodRuntime(Optional<LinuxNode> node, String name, String reason) {

    static final String CONTAINERD = "containerd";
    static final String SIMULATED = "simulated";

    static PodRuntime simulated(String reason) {
      LoggerFactory.getLogger(SandboxMain.class)
          .info("The kubelet simulates containers: {}", reason);
      return new PodRuntime(Optional.empty(), SIMULATED, reason);
    }

    /**
     * The node when the user did not ask for simulation and real containers can run here; else the
     * simulation, saying why. A node that fails to start falls back to the simulation.
     */
    static PodRuntime choose(Arguments arguments, Path nodeDir, java.util.Map<String, String> env) {
      if (arguments.simulated()) {
        return simulated("asked for (grove sandbox up --simulated)");
      }
      if (SIMULATED.equals(env.get(RUNTIME_ENV))) {
        return simulated("asked for (" + RUNTIME_ENV + "=simulated)");
      }
      if (arguments.registryPort() == 0) {
        return simulated("no sandbox registry to pull from (--registry-port)");
      }
      Optional<String> unavailable = ContainerdNode.unavailable();
      if (unavailable.isPresent()) {
        return simulated("real containers cannot run here: " + unavailable.get());
      }
      try {
        ContainerdNode node =
            ContainerdNode.start(
                nodeDir,
                "127.0.0.1",
                arguments.registryPort(),
                SandboxTool.USER,
                env.getOrDefault(REGISTRY_PASSWORD_ENV, ""),
                NODE_START_TIMEOUT);
        return new PodRuntime(Optional.of(node), CONTAINERD, "");
      } catch (IOException | RuntimeException e) {
        LoggerFactory.getLogger(SandboxMain.class)
            .warn("containerd did not start: {}", e.getMessage());
        return simulated("containerd did not start: " + e.getMessage());
      }
    }
  }

  /** The pid in an existing API file when that process still runs, else -1. */
  private static long runningPid(Path apiFile) {
    try {
      String json = Files.readString(apiFile);
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\"pid\"\\s*:\\s*(\\d+)").matcher(json);
      if (m.find()) {
        long pid = Long.parseLong(m.group(1));
        if (pid != ProcessHandle.current().pid()
            && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          return pid;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no file, or one left by a process that died: start afresh
    }
    return -1;
  }

  /**
   * Checks that {@code GET /version} answers 200: the file must never name a deaf server. The
   * server listens when {@link Sandbox#start} returns, so one request tells.
   */
  private static void checkAnswers(String url, String certificatePem)
      throws IOException, InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(SandboxCertificate.trusting(certificatePem))
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/version")).timeout(Duration.ofSeconds(5)).build();
    int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    if (status != 200) {
      throw new IOException(url + "/version answered HTTP " + status);
    }
  }

  /**
   * The command line: {@code --data DIR} (required), {@code --port N} (default 0), {@code
   * --registry-port R} (the sandbox registry's; 0, the default: none, so no node), {@code
   * --simulated}.
   */
  record Arguments(Path data, int port, int registryPort, boolean simulated) {

    Arguments(Path data, int port) {
      this(data, port, 0, false);
    }

    static Arguments parse(String[] args) {
      Path data = null;
      int port = 0;
      int registryPort = 0;
      boolean simulated = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--simulated")) {
          simulated = true;
          continue;
        }
        String value;
        String name;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          name = arg.substring(0, eq);
          value = arg.substring(eq + 1);
        } else {
          name = arg;
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(arg + " needs a value");
          }
          value = args[++i];
        }
        switch (name) {
          case "--data" -> data = Path.of(value);
          case "--port" -> port = port(name, value);
          case "--registry-port" -> registryPort = port(name, value);
          default -> throw new IllegalArgumentException("unknown argument " + arg);
        }
      }
      if (data == null) {
        throw new IllegalArgumentException("--data DIR is required");
      }
      return new Arguments(data, port, registryPort, simulated);
    }

    private static int port(String name, String value) {
      int port;
      try {
        port = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " " + value + " is not a number");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(name + " " + value + " is not a port (0-65535)");
      }
      return port;
    }
  }
}
