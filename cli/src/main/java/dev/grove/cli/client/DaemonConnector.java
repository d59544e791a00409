package dev.grove.cli.client;

import dev.grove.api.http.DaemonInfo;
import dev.grove.api.http.Health;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Finds the daemon of a GROVE_HOME, and starts one (detached, once, under a lock) when none answers
 * or the one that answers runs other code than {@link DaemonLaunch} would start.
 */
public final class DaemonConnector {
  static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /** A daemon that answered its health check. */
  public record Running(DaemonClient client, Health health) {}

  private final GroveHome home;
  private final DaemonLaunch launch;
  private final Consumer<String> progress;
  private final Duration startTimeout;

  /**
   * @param launch null when this grove does not know how to start a daemon
   * @param progress receives one-line notes for the user (starting, restarting)
   */
  public DaemonConnector(
      GroveHome home, DaemonLaunch launch, Consumer<String> progress, Duration startTimeout) {
    this.home = home;
    this.launch = launch;
    this.progress = progress;
    this.startTimeout = startTimeout;
  }

  public DaemonConnector(GroveHome home, DaemonLaunch launch, Consumer<String> progress) {
    this(home, launch, progress, START_TIMEOUT);
  }

  /**
   * Sends one request to the daemon. The fast path trusts daemon.json (same build id) and skips the
   * health check; only when nothing accepts the connection (so nothing was sent) does it fall back
   * to {@link #connect()}, which starts a daemon if needed, and send again.
   */
  public <T> T call(Function<DaemonClient, T> request) {
    Optional<DaemonInfo> info = home.readInfo();
    if (info.isPresent() && (launch == null || launch.buildId().equals(info.get().buildId()))) {
      try {
        return request.apply(new DaemonClient(info.get()));
      } catch (DaemonUnreachableException e) {
        if (!e.notConnected()) {
          throw e;
        }
      }
    }
    return request.apply(connect());
  }

  /** A client of a running daemon with the expected code, starting one if needed. */
  public DaemonClient connect() {
    Optional<Running> running = probe();
    if (running.isPresent() && current(running.get())) {
      return running.get().client();
    }
    return startLocked();
  }

  /**
   * The daemon daemon.json points at, if it answers. A process that refuses the token is not
   * silently replaced: that error propagates.
   */
  public Optional<Running> probe() {
    Optional<DaemonInfo> info = home.readInfo();
    if (info.isEmpty()) {
      return Optional.empty();
    }
    DaemonClient client = new DaemonClient(info.get());
    try {
      return Optional.of(new Running(client, client.health()));
    } catch (DaemonUnreachableException e) {
      if (e.tokenRejected()) {
        throw e;
      }
      return Optional.empty();
    } catch (DaemonErrorException e) {
      return Optional.empty();
    }
  }

  /** Stops the running daemon and waits for its process to end; false when none was running. */
  public boolean stop() {
    Optional<Running> running = probe();
    if (running.isEmpty()) {
      forgetStaleInfo();
      return false;
    }
    stopAndWait(running.get());
    return true;
  }

  private boolean current(Running running) {
    return launch == null || launch.buildId().equals(running.health().buildId());
  }

  private DaemonClient startLocked() {
    if (launch == null) {
      throw new DaemonUnreachableException(
          "no Grove daemon is running for " + home.dir() + ", and this grove cannot start one",
          "Run grove through its launcher script, or set "
              + DaemonLaunch.CLASSPATH_ENV
              + " to the daemon's classpath.");
    }
    try {
      createHome();
      try (FileChannel channel =
          FileChannel.open(home.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          return startHoldingLock();
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw cannotStart("cannot start the Grove daemon: " + e.getMessage());
    }
  }

  private DaemonClient startHoldingLock() throws IOException {
    // Another grove may have started it while this one waited for the lock.
    Optional<Running> running = probe();
    if (running.isPresent() && current(running.get())) {
      return running.get().client();
    }
    if (running.isPresent()) {
      progress.accept("grove: restarting the daemon (its code changed)...");
      stopAndWait(running.get());
    } else {
      progress.accept(
          Files.exists(home.infoFile())
              ? "grove: starting the daemon (the last one no longer answers)..."
              : "grove: starting the daemon (first use)...");
    }
    return awaitStart(spawn());
  }

  private Process spawn() throws IOException {
    List<String> command = launch.command(home.dir());
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      // Its own session: a Ctrl-C in the terminal that started it does not reach it.
      command.add(0, setsid.toString());
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(home.logFile().toFile()))
            .redirectErrorStream(true);
    builder.environment().put(GroveHome.ENV, home.dir().toString());
    return builder.start();
  }

  /** Waits for daemon.json and a healthy answer with the expected build id. */
  private DaemonClient awaitStart(Process process) throws IOException {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      home.dir()
          .register(
              watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      while (true) {
        Optional<Running> running = probe();
        if (running.isPresent() && current(running.get())) {
          return running.get().client();
        }
        // setsid may fork and exit 0; only a failing exit means the daemon died.
        if (!process.isAlive() && process.exitValue() != 0) {
          throw cannotStart(
              "the Grove daemon exited while starting (exit code " + process.exitValue() + ")");
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw cannotStart(
              "the Grove daemon did not answer within " + startTimeout.toSeconds() + " s");
        }
        // Wakes as soon as daemon.json appears; the timeout bounds each wait.
        var key =
            watch.poll(
                Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cannotStart("interrupted while waiting for the Grove daemon to start");
    }
  }

  private void stopAndWait(Running running) {
    long pid = running.client().info().pid();
    running.client().shutdown();
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    while (running(pid)) {
      if (System.nanoTime() > deadline) {
        throw new DaemonUnreachableException(
            "the Grove daemon (pid "
                + pid
                + ") did not stop within "
                + STOP_TIMEOUT.toSeconds()
                + " s",
            "Stop it with 'kill " + pid + "', then run again.");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Whether the process still runs. An exited daemon whose parent has not reaped it yet (a zombie:
   * the CLI that started it is gone, and some init processes reap slowly) has stopped.
   */
  static boolean running(long pid) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int afterName = stat.lastIndexOf(')');
      return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
    } catch (IOException e) {
      return true; // no /proc here: isAlive is all there is
    }
  }

  /** daemon.json of a daemon that does not answer: removed, so nothing trusts it again. */
  private void forgetStaleInfo() {
    Optional<DaemonInfo> info = home.readInfo();
    if (info.isPresent() && running(info.get().pid()) && probeAnswers(info.get())) {
      return;
    }
    try {
      Files.deleteIfExists(home.infoFile());
    } catch (IOException e) {
      // Left for the next start to overwrite.
    }
  }

  private static boolean probeAnswers(DaemonInfo info) {
    try {
      new DaemonClient(info).health();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void createHome() throws IOException {
    if (Files.isDirectory(home.dir())) {
      return;
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(
          home.dir(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(home.dir());
    }
  }

  private DaemonUnreachableException cannotStart(String message) {
    return new DaemonUnreachableException(
        message, "See " + home.logFile() + " for what the daemon said.");
  }
}
