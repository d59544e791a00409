package dev.grove.cli.client;

import dev.grove.api.http.DaemonInfo;
import dev.grove.api.http.Health;
import dev.grove.api.process.CommandLines;
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
import java.util.ArrayList;
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

  /**
   * How long a daemon that accepted a stop request may take to exit: the first daemon of a build
   * writes its class archive as it exits (-XX:ArchiveClassesAtExit), which took over 10 s on a busy
   * machine; a signal then would lose the archive.
   */
  static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  /** A live daemon that has not answered its health check for this long is reported busy. */
  static final int BUSY_AFTER_MS = 5_000;

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
   * silently replaced: that error propagates. Neither is a daemon that is alive but does not answer
   * (busy): that is a {@link DaemonUnreachableException} saying so, and no second daemon starts.
   */
  public Optional<Running> probe() {
    Optional<DaemonInfo> info = home.readInfo();
    if (info.isEmpty()) {
      return Optional.empty();
    }
    Optional<Running> running = answering(info.get());
    if (running.isEmpty() && isDaemon(info.get().pid())) {
      // a second, longer chance before calling it busy: a cold daemon on a loaded machine
      running = answering(info.get(), BUSY_AFTER_MS - DaemonClient.HEALTH_TIMEOUT_MS);
      if (running.isEmpty() && isDaemon(info.get().pid())) {
        throw busy(info.get());
      }
    }
    return running;
  }

  /** The daemon of {@code info} if it answers its health check; a rejected token propagates. */
  private static Optional<Running> answering(DaemonInfo info) {
    return answering(info, DaemonClient.HEALTH_TIMEOUT_MS);
  }

  private static Optional<Running> answering(DaemonInfo info, int timeoutMs) {
    DaemonClient client = new DaemonClient(info);
    try {
      return Optional.of(new Running(client, client.health(timeoutMs)));
    } catch (DaemonUnreachableException e) {
      if (e.tokenRejected()) {
        throw e;
      }
      return Optional.empty();
    } catch (DaemonErrorException e) {
      return Optional.empty();
    }
  }

  private DaemonUnreachableException busy(DaemonInfo info) {
    return new DaemonUnreachableException(
        "the Grove daemon (pid "
            + info.pid()
            + ") is busy: it runs but did not answer on 127.0.0.1:"
            + info.port()
            + " within "
            + BUSY_AFTER_MS / 1000
            + " s",
        "Wait for it and run again; 'grove daemon stop' stops it (with signals if it still does"
            + " not answer). What it does: "
            + home.logFile()
            + ".");
  }

  /** What {@link #stop()} did, as one line for the user. */
  public record Stopped(boolean wasRunning, String message) {}

  /**
   * Stops the daemon daemon.json names and waits for its process to end: asked over HTTP, then,
   * when it does not answer or does not end, SIGTERM and SIGKILL (only to a process whose command
   * line marks it as this home's daemon). Also stops daemons of this home that lost their
   * daemon.json (the home was deleted under them).
   */
  public Stopped stop() {
    Optional<DaemonInfo> info = home.readInfo();
    List<String> done = new ArrayList<>();
    String note = null;
    if (info.isPresent()) {
      long pid = info.get().pid();
      Optional<Running> running = answering(info.get());
      if (running.isPresent()) {
        askToStop(running.get());
        String signals = awaitExitOrSignal(pid, EXIT_TIMEOUT);
        done.add(
            signals == null
                ? "pid " + pid
                : "pid "
                    + pid
                    + ": it did not exit within "
                    + EXIT_TIMEOUT.toSeconds()
                    + " s of the request, so it was sent "
                    + signals);
      } else if (isDaemon(pid)) {
        done.add("pid " + pid + ": it did not answer, so it was sent " + terminate(pid));
      } else if (running(pid)) {
        note =
            "daemon.json named pid "
                + pid
                + ", which is not a Grove daemon of "
                + home.dir()
                + ": left it alone, forgot daemon.json";
      }
      forgetInfoOf(pid);
    }
    for (long orphan : daemonsOfHome()) {
      done.add("pid " + orphan + " (its daemon.json was gone): sent " + terminate(orphan));
    }
    if (done.isEmpty()) {
      return new Stopped(false, note == null ? "not running" : "not running (" + note + ")");
    }
    return new Stopped(true, "stopped " + String.join("; ", done));
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
    }
    for (long orphan : daemonsOfHome()) {
      // its daemon.json went (the home was deleted): nobody reaches it; it must not run beside
      // the new one
      progress.accept("grove: stopping the daemon pid " + orphan + " (its daemon.json is gone)...");
      terminate(orphan);
    }
    if (running.isEmpty()) {
      progress.accept(
          Files.exists(home.infoFile())
              ? "grove: starting the daemon (the last one no longer answers)..."
              : "grove: starting the daemon (first use)...");
    }
    return awaitStart(spawn());
  }

  private Process spawn() throws IOException {
    noteStartInLog();
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

  /** The size of daemon.log after the start note: a daemon that wrote nothing leaves it so. */
  private long logSizeAtStart = -1;

  /**
   * Writes a line to daemon.log before the daemon starts: a log that cannot be written (a full
   * disk) is said now, naming the file, instead of a daemon that fails with nothing in its log.
   */
  private void noteStartInLog() {
    Path log = home.logFile();
    String line =
        java.time.Instant.now()
            + " grove (pid "
            + ProcessHandle.current().pid()
            + "): starting a Grove daemon\n";
    try {
      Files.writeString(log, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      logSizeAtStart = Files.size(log);
    } catch (IOException e) {
      String reason =
          e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null
              ? fs.getReason()
              : e.getMessage();
      throw new DaemonUnreachableException(
          "cannot start the Grove daemon: cannot write " + log + ": " + reason,
          "Free space on the disk that holds "
              + home.dir()
              + " ('df "
              + home.dir()
              + "' shows it), or set GROVE_HOME to a folder with space, then run again.");
    }
  }

  /**
   * What a daemon that exited while starting said last (its last ERROR line since the start note),
   * or, when it said nothing, whether the disk explains it.
   */
  private String silentExit() {
    try {
      long size = Files.size(home.logFile());
      if (logSizeAtStart < 0) {
        return "";
      }
      if (size > logSizeAtStart) {
        return lastError(size);
      }
      long free = Files.getFileStore(home.dir()).getUsableSpace();
      return free < (1 << 20)
          ? ", and wrote nothing to its log: the disk that holds "
              + home.dir()
              + " is full (No space left on device: "
              + free / 1024
              + " KiB free)"
          : ", and wrote nothing to its log";
    } catch (IOException e) {
      return "";
    }
  }

  /** The daemon's last ERROR line since the start note (at most its last 8 KiB), as ": text". */
  private String lastError(long size) throws IOException {
    long from = Math.max(logSizeAtStart, size - 8192);
    byte[] tail;
    try (FileChannel channel = FileChannel.open(home.logFile(), StandardOpenOption.READ)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) (size - from));
      channel.read(buffer, from);
      tail = java.util.Arrays.copyOf(buffer.array(), buffer.position());
    }
    String said = null;
    for (String line : new String(tail, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
      int error = line.indexOf(" ERROR ");
      int text = line.indexOf(" - ", Math.max(error, 0));
      if (error >= 0 && text >= 0) {
        said = line.substring(text + 3).trim();
      }
    }
    return said == null ? "" : ": " + said;
  }

  /** Waits for daemon.json and a healthy answer with the expected build id. */
  private DaemonClient awaitStart(Process process) throws IOException {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      home.dir()
          .register(
              watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      while (true) {
        Optional<Running> running = home.readInfo().flatMap(DaemonConnector::answering);
        if (running.isPresent() && current(running.get())) {
          return running.get().client();
        }
        // setsid may fork and exit 0; only a failing exit means the daemon died.
        if (!process.isAlive() && process.exitValue() != 0) {
          throw cannotStart(
              "the Grove daemon exited while starting (exit code "
                  + process.exitValue()
                  + ")"
                  + silentExit());
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
    askToStop(running);
    awaitExitOrSignal(running.client().info().pid(), EXIT_TIMEOUT);
  }

  /** Sends the stop request; a daemon that then does not answer is signalled after the wait. */
  private static void askToStop(Running running) {
    try {
      running.client().shutdown();
    } catch (DaemonUnreachableException e) {
      // it answered its health check a moment ago: the wait for its exit decides
    }
  }

  /**
   * Waits up to {@code limit} for a daemon asked to stop (it answered as this home's daemon, so it
   * is one: an exiting JVM's command line may already be unreadable); then signals it. Null when it
   * exited by itself, else the signals it took.
   */
  private String awaitExitOrSignal(long pid, Duration limit) {
    return awaitGone(pid, limit) ? null : terminate(pid, true);
  }

  /**
   * SIGTERM (its shutdown hooks stop what it runs), then SIGKILL after {@link #STOP_TIMEOUT}; only
   * to a daemon of this home. Returns the signals it took.
   */
  private String terminate(long pid) {
    return terminate(pid, false);
  }

  /** As {@link #terminate(long)}; {@code known}: it answered as this home's daemon. */
  private String terminate(long pid, boolean known) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !running(pid)) {
      return "nothing (it had exited)";
    }
    if (!known && !isDaemon(pid)) {
      throw new DaemonUnreachableException(
          "pid " + pid + " is not a Grove daemon of " + home.dir() + "; grove does not signal it",
          "Delete " + home.infoFile() + " if it is stale, then run again.");
    }
    process.get().destroy();
    if (awaitGone(pid, STOP_TIMEOUT)) {
      return "SIGTERM";
    }
    process.get().destroyForcibly();
    if (awaitGone(pid, Duration.ofSeconds(5))) {
      return "SIGTERM, then SIGKILL";
    }
    throw new DaemonUnreachableException(
        "the Grove daemon (pid " + pid + ") did not end, even after SIGKILL",
        "Check what holds it ('ps -o stat,wchan -p " + pid + "'), then run again.");
  }

  /** True once the process has ended (or is a zombie), false when it still runs after limit. */
  static boolean awaitGone(long pid, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (running(pid)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !running(pid);
      }
    }
    return true;
  }

  /**
   * Whether {@code pid} runs as this home's daemon: its command line carries {@link
   * DaemonLaunch#homeArgument}, or (a daemon of a grove from before that argument) it runs {@link
   * DaemonLaunch#MAIN_CLASS} without naming any home.
   */
  private boolean isDaemon(long pid) {
    if (!running(pid)) {
      return false;
    }
    List<String> arguments = CommandLines.of(pid);
    return arguments.contains(DaemonLaunch.homeArgument(home.dir()))
        || (arguments.contains(DaemonLaunch.MAIN_CLASS)
            && arguments.stream()
                .noneMatch(a -> a.startsWith("-D" + DaemonLaunch.HOME_PROPERTY + "=")));
  }

  /**
   * The live daemons of this home that daemon.json does not name (after an {@code rm -rf} of the
   * home, all of them): found by the {@link DaemonLaunch#homeArgument} on their command lines.
   */
  private List<Long> daemonsOfHome() {
    String mark = DaemonLaunch.homeArgument(home.dir());
    long named = home.readInfo().map(DaemonInfo::pid).orElse(-1L);
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != named && p.pid() != self)
        .filter(p -> CommandLines.of(p.pid()).contains(mark))
        .filter(p -> running(p.pid()))
        .map(ProcessHandle::pid)
        .toList();
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

  /** Removes daemon.json while it still names {@code pid}, whose process is gone. */
  private void forgetInfoOf(long pid) {
    Optional<DaemonInfo> info = home.readInfo();
    if (info.isEmpty() || info.get().pid() != pid || running(pid) && isDaemon(pid)) {
      return;
    }
    try {
      Files.deleteIfExists(home.infoFile());
    } catch (IOException e) {
      // Left for the next start to overwrite.
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
