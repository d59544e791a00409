package dev.grove.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code grove} CLI as its own process, as the launcher does, with its own
 * GROVE_HOME; the daemon it starts is another real process.
 */
final class GroveProcess {
  private final Path home;
  private final Path workDir;

  GroveProcess(Path home, Path workDir) {
    this.home = home;
    this.workDir = workDir;
  }

  /** Copies a fixture project into a scratch folder (tests that edit or build in it). */
  static Path copyTree(Path from, Path to) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return to;
  }

  /** What one CLI run printed and how it exited. */
  record Result(int exitCode, String out, String err) {}

  private java.time.Duration timeout = java.time.Duration.ofSeconds(60);

  /**
   * The sandbox runtime the CLI, daemon and sandbox it starts are told to use: the scenarios run
   * simulated pods (fast, and the same wherever they run) unless one asks for real containers.
   */
  private String sandboxRuntime = "simulated";

  /** The sandbox this process starts runs real containers where containerd can run. */
  GroveProcess realContainers() {
    this.sandboxRuntime = null;
    return this;
  }

  /** How long a command may take (60 s unless set): K3s starts and pulls slower. */
  GroveProcess timeout(java.time.Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  private ProcessBuilder builder(Map<String, String> env, String... args) {
    String classpath = System.getProperty("java.class.path");
    List<String> command = new ArrayList<>();
    // A JVM started from a background job inherits SIGINT ignored and then installs no handler for
    // it: Ctrl-C tests would hang. env (coreutils ≥ 8.31, exec'ing in place) resets it.
    command.addAll(List.of("env", "--default-signal=INT"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dgrove.daemon.classpath=" + classpath);
    command.add("-Dgrove.sandbox.classpath=" + classpath);
    command.add("-cp");
    command.add(classpath);
    command.add("dev.grove.cli.Main");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().put("GROVE_HOME", home.toString());
    builder.environment().put("NO_COLOR", "1");
    if (sandboxRuntime != null) {
      builder.environment().put("GROVE_SANDBOX_RUNTIME", sandboxRuntime);
    } else {
      builder.environment().remove("GROVE_SANDBOX_RUNTIME");
    }
    builder.environment().putAll(env);
    return builder;
  }

  /** Starts a CLI without waiting for it; its stdout goes to {@code out}, stderr is discarded. */
  Process start(Path out, String... args) throws IOException {
    return builder(Map.of("NO_COLOR", "1"), args)
        .redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** Starts a CLI without waiting for it (its output is discarded). */
  Process start(String... args) throws IOException {
    return builder(Map.of(), args)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** Starts a CLI without waiting for it, its stdout and stderr going to the files given. */
  Process start(Path out, Path err, String... args) throws IOException {
    return builder(Map.of(), args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
  }

  /** Ctrl-C: sends SIGINT to the process, as a terminal would. */
  static void interrupt(Process process) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS)) {
      kill.destroyForcibly();
      throw new AssertionError("kill -INT " + process.pid() + " did not finish in 10 s");
    }
  }

  /** Waits until the daemon lists a running run that involves {@code name}; its id. */
  String waitForRun(String name, java.time.Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (daemonPid() > 0) {
        Result runs = run("runs");
        for (String line : runs.out().lines().toList()) {
          if (line.contains("running")) {
            return line.substring(0, line.indexOf(' '));
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no run of " + name + " started within " + timeout);
  }

  Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    ProcessBuilder builder = builder(env, args);
    Path out = Files.createTempFile(home.getParent(), "out", ".txt");
    Path err = Files.createTempFile(home.getParent(), "err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "grove " + String.join(" ", args) + " did not finish in " + timeout.toSeconds() + " s");
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  Result run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), args);
  }

  /** The daemon's pid from daemon.json, or -1 when there is none. */
  long daemonPid() throws IOException {
    Path info = home.resolve("daemon.json");
    if (!Files.exists(info)) {
      return -1;
    }
    String json = Files.readString(info);
    int at = json.indexOf("\"pid\":") + 6;
    int end = at;
    while (end < json.length() && Character.isDigit(json.charAt(end))) {
      end++;
    }
    return Long.parseLong(json.substring(at, end));
  }

  /** Stops the daemon through the CLI, and by pid if that fails. */
  void stopDaemon() throws IOException, InterruptedException {
    long pid = daemonPid();
    run("daemon", "stop");
    if (pid > 0) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** Stops the daemon, then the sandbox ({@code grove sandbox down}, which must succeed). */
  void stopDaemonAndSandbox() throws IOException, InterruptedException {
    stopDaemon();
    Result down = run("sandbox", "down");
    if (down.exitCode() != 0) {
      throw new AssertionError("grove sandbox down failed: " + down.out() + down.err());
    }
  }

  /** A free port on this machine (for the sandbox registry). */
  static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * {@code grove sandbox up} with its registry on {@code registryPort}, which must succeed; a
   * client of the sandbox's API.
   */
  io.fabric8.kubernetes.client.KubernetesClient sandboxUp(int registryPort)
      throws IOException, InterruptedException {
    Result up = run("sandbox", "up", "--registry-port", String.valueOf(registryPort));
    if (up.exitCode() != 0) {
      throw new AssertionError("grove sandbox up failed: " + up.out() + up.err());
    }
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(
            io.fabric8.kubernetes.client.Config.fromKubeconfig(
                "grove-sandbox", home.resolve("sandbox/kubeconfig").toFile()))
        .build();
  }
}
