package dev.grove.sandbox.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grove.api.process.CommandLines;
import dev.grove.sandbox.apiserver.SandboxApi;
import dev.grove.sandbox.apiserver.SandboxCertificate;
import dev.grove.sandbox.node.ContainerdNode;
import dev.grove.sandbox.node.SandboxImages;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;

/**
 * {@code grove sandbox up|status|down}, run by the CLI as its own process: starts (and stops, by
 * pid) a private registry (the CNCF distribution server with htpasswd auth and a generated
 * password) and the sandbox's Kubernetes API with its kubelet ({@link SandboxMain}: real containers
 * through containerd where they can run, else simulated; {@code up --simulated} asks for the
 * simulation), pushes the sandbox's images (the pause image, a busybox base image: {@link
 * SandboxImages}), writes the kubeconfig context {@code grove-sandbox} and creates the registry's
 * pull secret in {@code default}. State lives in {@code $GROVE_HOME/sandbox/} (0700); {@code
 * sandbox.json} holds what {@code status} reports, the pids {@code down} stops, the registry
 * password and the API's token, and it and the kubeconfig are the user's alone (0600): the API
 * answers only that token, so no other local user reads the pull secret. Neither secret is put on a
 * command line (htpasswd reads the password on stdin, the API its token from the environment).
 * Prints one JSON document on stdout; exit 0, or 2 for bad usage, 3 when something it needs is
 * missing or does not start.
 */
public final class SandboxTool {
  public static final String CONTEXT = "grove-sandbox";
  public static final String PULL_SECRET = "grove-sandbox-registry";
  public static final int DEFAULT_REGISTRY_PORT = 5000;
  static final String USER = "grove";
  static final String K3S = "k3s";
  private static final String RYUK_DISABLED = "TESTCONTAINERS_RYUK_DISABLED";

  /** Set in the child JVM that works on containers ({@link #inContainerJvm(String[])}). */
  private static final String CHILD = "GROVE_SANDBOX_CONTAINERS";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(40);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final PrintStream out;

  SandboxTool(Path groveHome, PrintStream out) {
    // absolute: the processes' command lines name it, which is how strays(dir) finds them
    this.dir = groveHome.resolve("sandbox").toAbsolutePath().normalize();
    this.out = out;
  }

  /** A failure with what to do; exit code 3. */
  static final class SandboxException extends Exception {
    private static final long serialVersionUID = 1L;
    final String suggestion;

    SandboxException(String message, String suggestion) {
      super(message);
      this.suggestion = suggestion;
    }
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    String home = System.getenv("GROVE_HOME");
    Path groveHome =
        home != null && !home.isBlank()
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"), ".grove");
    System.exit(new SandboxTool(groveHome, out).run(args));
  }

  int run(String[] args) {
    try {
      if (args.length == 0) {
        return usage("Say up, status or down.");
      }
      if (needsContainers(args) && !inContainerJvm()) {
        return inContainerJvm(args);
      }
      switch (args[0]) {
        case "up" -> {
          Integer port = null;
          boolean k3s = false;
          boolean simulated = false;
          for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--k3s")) {
              k3s = true;
            } else if (args[i].equals("--simulated")) {
              simulated = true;
            } else if (args[i].equals("--registry-port") && i + 1 < args.length) {
              try {
                port = Integer.parseInt(args[++i]);
              } catch (NumberFormatException e) {
                return usage("--registry-port needs a port number, not `" + args[i] + "`.");
              }
              if (port < 1 || port > 65_535) {
                return usage("--registry-port needs a port from 1 to 65535, not " + port + ".");
              }
            } else {
              return usage("Unknown option `" + args[i] + "`.");
            }
          }
          if (k3s && !K3sSandbox.engineAnswers()) {
            return noEngine();
          }
          print(up(port, k3s, simulated));
        }
        case "status" -> print(status());
        case "down" -> print(down());
        default -> {
          return usage("Unknown sandbox command `" + args[0] + "`.");
        }
      }
      return 0;
    } catch (SandboxException e) {
      ObjectNode error = JSON.createObjectNode();
      error.put("error", e.getMessage());
      error.put("suggestion", e.suggestion);
      out.println(error);
      return 3;
    } catch (IOException | InterruptedException | RuntimeException e) {
      // RuntimeException: the Docker client's and the Kubernetes client's failures
      ObjectNode error = JSON.createObjectNode();
      error.put("error", "The sandbox failed: " + e.getMessage());
      error.put(
          "suggestion", "See " + dir.resolve("sandbox.log") + "; `grove sandbox down` resets it.");
      out.println(error);
      return 3;
    }
  }

  /** {@code up --k3s} where no Docker engine answers: say so, exit 2. */
  private int noEngine() {
    ObjectNode error = JSON.createObjectNode();
    error.put(
        "error",
        "No Docker engine answers here, and `--k3s` runs K3s and a registry in containers.");
    error.put(
        "suggestion",
        "Run `grove sandbox up` (the built-in sandbox needs no engine), or start a Docker engine"
            + " (DOCKER_HOST is honoured).");
    out.println(error);
    return 2;
  }

  /**
   * Whether the command works on containers: {@code up --k3s}, or anything on a K3s sandbox. It
   * then runs in a child JVM ({@link #inContainerJvm(String[])}).
   */
  private boolean needsContainers(String[] args) throws IOException {
    if (args[0].equals("up") && List.of(args).contains("--k3s")) {
      return true;
    }
    return readState().map(state -> K3S.equals(state.path("mode").asText())).orElse(false);
  }

  private static boolean inContainerJvm() {
    return "1".equals(System.getenv(CHILD));
  }

  /**
   * Runs this command again in a child JVM whose environment turns off Testcontainers' reaper
   * (which would remove the sandbox's containers when this process exits) and turns on container
   * reuse (reusable containers carry no session label, so the child's shutdown hook leaves them
   * too). Testcontainers reads both from the environment only. Its log goes to {@code k3s.log}.
   */
  private int inContainerJvm(String[] args) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    List<String> command =
        new ArrayList<>(
            List.of(
                javaBinary(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djna.tmpdir=" + dir.resolve("jna"),
                "-Dorg.slf4j.simpleLogger.logFile=" + dir.resolve("k3s.log"),
                "-cp",
                System.getProperty("java.class.path"),
                SandboxTool.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().put(CHILD, "1");
    builder.environment().put(RYUK_DISABLED, "true");
    builder.environment().put("TESTCONTAINERS_REUSE_ENABLE", "true");
    builder.environment().put("GROVE_HOME", dir.getParent().toString());
    Process child = builder.start();
    out.print(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    out.flush();
    return child.waitFor();
  }

  private int usage(String message) {
    ObjectNode error = JSON.createObjectNode();
    error.put("error", message);
    error.put("suggestion", "grove sandbox up [--registry-port N] [--simulated] | status | down");
    out.println(error);
    return 2;
  }

  private void print(ObjectNode status) {
    out.println(status);
  }

  /** Starts what is not running; returns the status. Idempotent. */
  ObjectNode up(int registryPort) throws IOException, InterruptedException, SandboxException {
    return up(registryPort, false);
  }

  /**
   * Starts what is not running, the built-in sandbox or ({@code k3s}) K3s and a registry in
   * containers; returns the status. Idempotent; a running sandbox of the other kind is an error.
   * Without a {@code registryPort} (null), the registry takes the port of the sandbox that was
   * there (restarted after a crash or a reboot), else {@link #DEFAULT_REGISTRY_PORT}.
   */
  ObjectNode up(Integer registryPort, boolean k3s)
      throws IOException, InterruptedException, SandboxException {
    return up(registryPort, k3s, false);
  }

  /**
   * As {@link #up(Integer, boolean)}; {@code simulated}: the built-in sandbox's kubelet simulates
   * containers even where containerd could run them ({@code GROVE_SANDBOX_RUNTIME=simulated} in the
   * environment does the same).
   */
  ObjectNode up(Integer registryPort, boolean k3s, boolean simulated)
      throws IOException, InterruptedException, SandboxException {
    createPrivateDirectories(dir);
    // two `up`s at once (a CLI and the daemon) must not start two of everything
    try (RandomAccessFile lockFile = new RandomAccessFile(dir.resolve("lock").toFile(), "rw")) {
      FileLock lock = lockFile.getChannel().lock();
      try {
        return upLocked(registryPort, k3s, simulated);
      } finally {
        lock.release();
      }
    }
  }

  private ObjectNode upLocked(Integer askedPort, boolean askedK3s, boolean simulated)
      throws IOException, InterruptedException, SandboxException {
    int registryPort = askedPort != null ? askedPort : previousRegistryPort();
    // a plain `up` (the daemon's after a reboot, say) restarts the kind of sandbox that was there
    boolean k3s =
        askedK3s || readState().map(state -> K3S.equals(state.path("mode").asText())).orElse(false);
    ObjectNode current = status();
    if (current.path("running").asBoolean()) {
      // a plain `up` (the daemon's, say) is content with a running K3s sandbox
      if (askedK3s && !K3S.equals(current.path("mode").asText())) {
        throw new SandboxException(
            "The built-in sandbox is running.",
            "Run `grove sandbox down` first, then `grove sandbox up --k3s`.");
      }
      String running = current.path("registry").asText();
      if (askedPort != null && !running.endsWith(":" + askedPort)) {
        throw new SandboxException(
            "The sandbox is running with its registry on "
                + running
                + ", not port "
                + askedPort
                + ".",
            "Leave out --registry-port to use it as it is, or run `grove sandbox down` first,"
                + " then `grove sandbox up --registry-port "
                + askedPort
                + "`.");
      }
      return current;
    }
    if (k3s && !askedK3s && !K3sSandbox.engineAnswers()) {
      throw new SandboxException(
          "The sandbox here is K3s (`grove sandbox up --k3s`), and no Docker engine answers.",
          "Start the engine, or run `grove sandbox down`, then `grove sandbox up` for the"
              + " built-in sandbox.");
    }
    stopAll(readState()); // and what a sandbox whose folder was removed under it left running
    String password = password();
    if (k3s) {
      return upK3s(registryPort, password);
    }
    long registryPid = startRegistry(registryPort, password);
    long apiPid;
    JsonNode api;
    String token = SandboxApi.newToken();
    String images;
    try {
      images = pushImages("127.0.0.1:" + registryPort, password);
      Path apiFile = dir.resolve(SandboxMain.API_FILE);
      Files.deleteIfExists(apiFile);
      ProcessBuilder builder =
          new ProcessBuilder(
                  javaBinary(),
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-Xss1m",
                  // as the daemon: without -Xms the young generation is sized from 1/64 of the
                  // machine and all of it touched (bench/sandbox.sh: 316 MiB RSS with the shop)
                  "-Xms32m",
                  "-XX:MinHeapFreeRatio=20",
                  "-XX:MaxHeapFreeRatio=40",
                  "-Djna.tmpdir=" + dir.resolve("jna"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  SandboxMain.class.getName(),
                  "--port",
                  "0",
                  "--registry-port",
                  String.valueOf(registryPort),
                  "--data",
                  dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("api.out").toFile()));
      if (simulated) {
        builder.command().add("--simulated");
      }
      builder.environment().put(SandboxMain.TOKEN_ENV, token);
      builder.environment().put(SandboxMain.REGISTRY_PASSWORD_ENV, password);
      Process process = builder.start();
      apiPid = process.pid();
      api = awaitApi(process, apiFile);
    } catch (IOException | SandboxException e) {
      kill(registryPid);
      throw e;
    }
    String registry = "127.0.0.1:" + registryPort;
    String apiUrl = api.path("apiUrl").asText();
    String certificate = api.path("certificate").asText();
    ObjectNode state = JSON.createObjectNode();
    state.put("apiUrl", apiUrl);
    state.put("apiCertificate", certificate);
    state.put("token", token);
    state.put("registry", registry);
    state.put("registryUser", USER);
    state.put("registryPassword", password);
    state.put("apiPid", apiPid);
    state.put("registryPid", registryPid);
    state.put("runtime", api.path("runtime").asText(SandboxMain.PodRuntime.SIMULATED));
    state.put("runtimeReason", api.path("runtimeReason").asText(""));
    state.put("images", images);
    writeState(state); // first, so that `down` finds the processes whatever happens next
    writeKubeconfig(apiUrl, certificate, token);
    createPullSecret(
        new io.fabric8.kubernetes.client.ConfigBuilder()
            .withMasterUrl(apiUrl)
            .withCaCertData(base64(certificate))
            .withOauthToken(token)
            .build(),
        registry,
        password);
    return status();
  }

  /** The registry port of the sandbox recorded here, else the default. */
  private int previousRegistryPort() throws IOException {
    String registry = readState().map(state -> state.path("registry").asText()).orElse("");
    try {
      return Integer.parseInt(registry.substring(registry.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      return DEFAULT_REGISTRY_PORT;
    }
  }

  /** K3s and the registry in containers ({@link K3sSandbox}). */
  private ObjectNode upK3s(int registryPort, String password)
      throws IOException, InterruptedException, SandboxException {
    checkPortFree(registryPort);
    K3sSandbox.Started started;
    try {
      K3sSandbox.removeLabelled(dir); // what an interrupted `up --k3s` left
      started = K3sSandbox.start(registryPort, htpasswdLine(USER, password), dir);
    } catch (RuntimeException e) {
      throw new SandboxException(
          "K3s or its registry did not start: " + e.getMessage(),
          "See " + dir.resolve("k3s.log") + "; is the engine able to run privileged containers?");
    }
    String registry = "127.0.0.1:" + registryPort;
    ObjectNode state = JSON.createObjectNode();
    state.put("mode", K3S);
    state.put("apiUrl", K3sSandbox.serverOf(started.kubeconfigYaml()));
    state.put("registry", registry);
    state.put("registryUser", USER);
    state.put("registryPassword", password);
    state.put("k3sContainer", started.k3sContainer());
    state.put("registryContainer", started.registryContainer());
    writeState(state); // first, so that `down` finds the containers whatever happens next
    writePrivate(dir.resolve("kubeconfig"), started.kubeconfigYaml()); // K3s's admin client key
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!answers("http://" + registry + "/v2/", 401)) {
      if (System.nanoTime() > deadline) {
        throw new SandboxException(
            "The registry container does not answer on " + registry + ".",
            "See `docker logs " + started.registryContainer() + "`; `grove sandbox down` resets.");
      }
      Thread.sleep(100);
    }
    state.put("images", pushImages(registry, password));
    writeState(state);
    createPullSecret(
        io.fabric8.kubernetes.client.Config.fromKubeconfig(
            CONTEXT, dir.resolve("kubeconfig").toFile()),
        registry,
        password);
    return status();
  }

  private void writeState(ObjectNode state) throws IOException {
    writePrivate(
        dir.resolve("sandbox.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
  }

  /**
   * Writes {@code text} to {@code file} readable by its owner only (0600), atomically: the file is
   * created with those permissions, so it is never readable by others, not even for a moment.
   */
  static void writePrivate(Path file, String text) throws IOException {
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            file.getFileName().toString(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Creates {@code dir} (and its parents) and makes it its owner's alone (0700). */
  static void createPrivateDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /** What is running: {@code running} true only when the API and the registry both answer. */
  ObjectNode status() throws IOException {
    ObjectNode status = JSON.createObjectNode();
    Optional<ObjectNode> state = readState();
    boolean k3s = state.isPresent() && K3S.equals(state.get().path("mode").asText());
    boolean running =
        state.isPresent()
            && (k3s
                ? K3sSandbox.running(state.get().path("k3sContainer").asText())
                    && K3sSandbox.running(state.get().path("registryContainer").asText())
                : alive(state.get().path("apiPid").asLong())
                    && alive(state.get().path("registryPid").asLong())
                    && apiAnswers(state.get()))
            && answers("http://" + state.get().path("registry").asText() + "/v2/", 401);
    status.put("running", running);
    if (state.isPresent()) {
      status.put("mode", k3s ? K3S : "built-in");
      status.put("context", CONTEXT);
      status.put("kubeconfig", dir.resolve("kubeconfig").toString());
      status.put("apiUrl", state.get().path("apiUrl").asText());
      status.put("registry", state.get().path("registry").asText());
      status.put("pullSecret", PULL_SECRET);
      if (!k3s) {
        status.put("runtime", state.get().path("runtime").asText(SandboxMain.PodRuntime.SIMULATED));
        String reason = state.get().path("runtimeReason").asText("");
        if (!reason.isEmpty()) {
          status.put("runtimeReason", reason);
        }
      }
      if (state.get().has("images")) {
        status.put("images", state.get().path("images").asText());
      }
    }
    return status;
  }

  /**
   * Stops every process {@code up} started and removes the sandbox's data; says whether it stopped
   * anything ({@code stopped}) and removed anything ({@code removedData}).
   */
  ObjectNode down() throws IOException, InterruptedException {
    ObjectNode status = JSON.createObjectNode();
    boolean stopped = false;
    boolean removed = false;
    if (!Files.isDirectory(dir)) {
      stopped = stopStrays(dir); // a sandbox whose folder was removed under it
      cleanUpNode();
    } else {
      Optional<ObjectNode> state = readState();
      if (state.isPresent()
          && K3S.equals(state.get().path("mode").asText())
          && !K3sSandbox.engineAnswers()) {
        status.put(
            "warning",
            "No Docker engine answers, so the K3s sandbox's containers ("
                + state.get().path("k3sContainer").asText()
                + ", "
                + state.get().path("registryContainer").asText()
                + ") were not removed: once it answers, `docker rm -f` them.");
      } else {
        stopped = stopAll(state);
        if (state.isPresent() && K3S.equals(state.get().path("mode").asText())) {
          K3sSandbox.removeLabelled(dir);
        }
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
      removed = true;
    }
    status.put("running", false);
    status.put("stopped", stopped);
    status.put("removedData", removed);
    return status;
  }

  private Optional<ObjectNode> readState() throws IOException {
    Path file = dir.resolve("sandbox.json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of((ObjectNode) JSON.readTree(file.toFile()));
    } catch (IOException | ClassCastException e) {
      return Optional.empty();
    }
  }

  /**
   * Stops what {@code state} records (K3s's containers) and every process serving from this folder;
   * whether any of it was running. The processes are found by their command lines ({@link
   * #strays(Path)}), not by the pids {@code state} records: after a reboot those may be anyone's.
   */
  private boolean stopAll(Optional<ObjectNode> state) throws InterruptedException {
    boolean containers = false;
    if (state.isPresent() && K3S.equals(state.get().path("mode").asText())) {
      String registry = state.get().path("registryContainer").asText();
      String k3s = state.get().path("k3sContainer").asText();
      containers = K3sSandbox.running(registry) || K3sSandbox.running(k3s);
      K3sSandbox.remove(registry);
      K3sSandbox.remove(k3s);
    }
    boolean processes = stopStrays(dir);
    cleanUpNode();
    return containers || processes;
  }

  /**
   * The processes whose command line names {@code dir} as a sandbox's folder: a {@link SandboxMain}
   * serving from it, a registry serving its {@code registry/config.yml}. Once the folder is removed
   * ({@code rm -rf $GROVE_HOME}), this is how they are found. {@code dir} is absolute; the current
   * process is never one.
   */
  static List<ProcessHandle> strays(Path dir) {
    String data = dir.toString();
    String registryConfig = dir.resolve("registry").resolve("config.yml").toString();
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .filter(p -> servesFrom(CommandLines.of(p.pid()), data, registryConfig))
        .toList();
  }

  private static boolean servesFrom(List<String> args, String data, String registryConfig) {
    int dataAt = args.indexOf("--data");
    boolean api =
        args.contains(SandboxMain.class.getName())
            && dataAt >= 0
            && dataAt + 1 < args.size()
            && args.get(dataAt + 1).equals(data);
    boolean registry =
        args.size() >= 2
            && args.get(args.size() - 2).equals("serve")
            && args.get(args.size() - 1).equals(registryConfig);
    return api || registry;
  }

  /**
   * What a node left when its sandbox process could not stop it (SIGKILLed, say): containers,
   * containerd, shims, mounts, the network namespace ({@link ContainerdNode#cleanUp}).
   */
  private void cleanUpNode() {
    if (!Files.isRegularFile(Path.of("/proc/self/mountinfo"))) {
      return; // not Linux: there is never a node
    }
    try {
      ContainerdNode.cleanUp(dir.resolve(SandboxMain.NODE_DIR));
    } catch (IOException | RuntimeException | LinkageError e) {
      System.err.println("sandbox: the node's leftovers were not all removed: " + e.getMessage());
    }
  }

  /**
   * Pushes the sandbox's images ({@link SandboxImages}: the pause image, the busybox base image) to
   * the registry, what it lacks; what it holds then, or why it holds none (no busybox-static).
   */
  private String pushImages(String registry, String password) throws SandboxException {
    if (!dev.grove.sandbox.node.NodeHost.REAL.staticExecutable(ContainerdNode.BUSYBOX)) {
      return "none: no static "
          + ContainerdNode.BUSYBOX
          + " to make them of (apt-get install busybox-static)";
    }
    try {
      List<String> references = new ArrayList<>();
      for (SandboxImages.Pushed pushed :
          SandboxImages.push(ContainerdNode.BUSYBOX, registry, USER, password, START_TIMEOUT)) {
        references.add(pushed.reference());
      }
      return String.join(", ", references);
    } catch (IOException e) {
      throw new SandboxException(
          "The sandbox's images could not be pushed to " + registry + ": " + e.getMessage(),
          "See " + dir.resolve("registry.log") + "; `grove sandbox down` resets the sandbox.");
    }
  }

  /** Stops {@link #strays(Path)}; whether there were any. */
  static boolean stopStrays(Path dir) {
    boolean any = false;
    for (ProcessHandle stray : strays(dir)) {
      try {
        any |= kill(stray.pid());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stray.destroyForcibly();
        return true;
      }
    }
    return any;
  }

  /**
   * TERM, then KILL after 15 s (the sandbox process stops its containers first); whether it was
   * running.
   */
  private static boolean kill(long pid) throws InterruptedException {
    Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    process.get().destroy();
    try {
      process.get().onExit().get(15, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      process.get().destroyForcibly();
    }
    return true;
  }

  private static boolean alive(long pid) {
    return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static boolean answers(String url, int expected) {
    return answers(url, expected, null, null);
  }

  /** Whether the built-in sandbox's API takes its token ({@code GET /api} answering 200). */
  private static boolean apiAnswers(JsonNode state) {
    String certificate = state.path("apiCertificate").asText();
    return !certificate.isEmpty()
        && answers(
            state.path("apiUrl").asText() + "/api", 200, state.path("token").asText(), certificate);
  }

  /**
   * Whether {@code url} answers {@code expected}, asked with {@code token} (when not null), over
   * HTTPS trusting {@code certificatePem} (when not null).
   */
  private static boolean answers(String url, int expected, String token, String certificatePem) {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      if (certificatePem != null && connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(SandboxCertificate.trusting(certificatePem).getSocketFactory());
      }
      connection.setConnectTimeout(1000);
      connection.setReadTimeout(2000);
      if (token != null) {
        connection.setRequestProperty("Authorization", "Bearer " + token);
      }
      int code = connection.getResponseCode();
      connection.disconnect();
      return code == expected;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /** A registry (or anything answering like one) on the port: say so before starting ours. */
  private static void checkPortFree(int port) throws SandboxException {
    if (answers("http://127.0.0.1:" + port + "/v2/", 200)
        || answers("http://127.0.0.1:" + port + "/v2/", 401)) {
      throw new SandboxException(
          "Port "
              + port
              + " on 127.0.0.1 is taken by another server, so the sandbox registry"
              + " cannot use it.",
          "Stop that server, or run `grove sandbox up --registry-port N` with a free port (and"
              + " set the project's deploymentRegistry.port to it).");
    }
  }

  private long startRegistry(int port, String password)
      throws IOException, InterruptedException, SandboxException {
    checkPortFree(port);
    Path binary = registryBinary();
    Path registryDir = dir.resolve("registry");
    createPrivateDirectories(registryDir);
    Path htpasswd = registryDir.resolve("htpasswd");
    writePrivate(htpasswd, htpasswdLine(USER, password));
    Path config = registryDir.resolve("config.yml");
    writePrivate(
        config,
        "version: 0.1\n"
            + "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
            + "storage:\n  filesystem:\n    rootdirectory: "
            + registryDir.resolve("storage")
            + "\n  delete:\n    enabled: true\n"
            + "http:\n  addr: 127.0.0.1:"
            + port
            + "\n"
            + "auth:\n  htpasswd:\n    realm: grove-sandbox\n    path: "
            + htpasswd
            + "\n");
    Path log = dir.resolve("registry.log");
    Process process =
        new ProcessBuilder(binary.toString(), "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new SandboxException(
            "The registry exited at start (code " + process.exitValue() + "): " + tail(log),
            "Is port " + port + " free? Try `grove sandbox up --registry-port N`.");
      }
      if (answers("http://127.0.0.1:" + port + "/v2/", 401)) {
        return process.pid();
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new SandboxException(
        "The registry did not answer on 127.0.0.1:"
            + port
            + " within "
            + START_TIMEOUT.toSeconds()
            + " s.",
        "See " + log + ".");
  }

  /** What the API process announced once it serves ({@code apiUrl}, {@code certificate}). */
  private JsonNode awaitApi(Process api, Path apiFile)
      throws IOException, InterruptedException, SandboxException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!api.isAlive()) {
        throw new SandboxException(
            "The sandbox API exited at start (code "
                + api.exitValue()
                + "): "
                + tail(dir.resolve("api.out")),
            "See " + dir.resolve("sandbox.log") + ".");
      }
      if (Files.isRegularFile(apiFile)) {
        JsonNode announced = JSON.readTree(apiFile.toFile());
        if (answers(
            announced.path("apiUrl").asText() + "/version",
            200,
            null,
            announced.path("certificate").asText())) {
          return announced;
        }
      }
      Thread.sleep(50);
    }
    api.destroyForcibly();
    throw new SandboxException(
        "The sandbox API did not start within " + START_TIMEOUT.toSeconds() + " s.",
        "See " + dir.resolve("sandbox.log") + ".");
  }

  private void writeKubeconfig(String apiUrl, String certificatePem, String token)
      throws IOException {
    writePrivate(dir.resolve("kubeconfig"), kubeconfig(apiUrl, certificatePem, token));
  }

  /** A kubeconfig whose current context ({@code grove-sandbox}) is the API at {@code apiUrl}. */
  static String kubeconfig(String apiUrl, String certificatePem, String token) {
    return "apiVersion: v1\nkind: Config\n"
        + "clusters:\n- name: grove-sandbox\n  cluster:\n    server: "
        + apiUrl
        + "\n    certificate-authority-data: "
        + base64(certificatePem)
        + "\nusers:\n- name: grove-sandbox\n  user:\n    token: "
        + token
        + "\n"
        + "contexts:\n- name: "
        + CONTEXT
        + "\n  context:\n    cluster: grove-sandbox\n    user: grove-sandbox\n"
        + "    namespace: default\n"
        + "current-context: "
        + CONTEXT
        + "\n";
  }

  private static void createPullSecret(Config config, String registry, String password) {
    String auth =
        Base64.getEncoder()
            .encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    String dockerConfig =
        "{\"auths\":{\""
            + registry
            + "\":{\"username\":\""
            + USER
            + "\",\"password\":\""
            + password
            + "\",\"auth\":\""
            + auth
            + "\"}}}";
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(PULL_SECRET)
                  .withNamespace("default")
                  .addToLabels("app.kubernetes.io/managed-by", "grove")
                  .endMetadata()
                  .withType("kubernetes.io/dockerconfigjson")
                  .withData(
                      Map.of(
                          ".dockerconfigjson",
                          Base64.getEncoder()
                              .encodeToString(dockerConfig.getBytes(StandardCharsets.UTF_8))))
                  .build())
          .fieldManager("grove")
          .forceConflicts()
          .serverSideApply();
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String password() {
    return SandboxApi.secret(18);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static Path registryBinary() throws SandboxException {
    List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/docker-registry")));
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String folder : path.split(":")) {
      if (!folder.isEmpty()) {
        candidates.add(Path.of(folder, "docker-registry"));
        candidates.add(Path.of(folder, "registry"));
      }
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new SandboxException(
        "No registry server: the sandbox needs the CNCF distribution server (`docker-registry`"
            + " or `registry` on the PATH).",
        "Install it: `sudo apt-get install docker-registry apache2-utils` (Debian/Ubuntu), or put"
            + " distribution's `registry` binary on the PATH.");
  }

  private static String htpasswdLine(String user, String password)
      throws IOException, InterruptedException, SandboxException {
    Path htpasswd = Path.of("/usr/bin/htpasswd");
    if (!Files.isExecutable(htpasswd)) {
      throw new SandboxException(
          "No /usr/bin/htpasswd: the sandbox registry's password file needs it (bcrypt).",
          "Install it: `sudo apt-get install apache2-utils`.");
    }
    Process process =
        new ProcessBuilder(htpasswdCommand(user))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (var stdin = process.getOutputStream()) {
      stdin.write((password + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String line = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("htpasswd -iBn failed");
    }
    return line.strip() + "\n";
  }

  /** How htpasswd makes the bcrypt entry: the password on its stdin, never on a command line. */
  static List<String> htpasswdCommand(String user) {
    return List.of("/usr/bin/htpasswd", "-iBn", user);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
