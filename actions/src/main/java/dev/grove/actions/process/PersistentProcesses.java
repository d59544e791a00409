package dev.grove.actions.process;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.LogSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The processes of {@code persistent: true} exec Deploys, which keep running in the daemon after
 * their deploy reported ready: one per action (a redeploy replaces it), its output kept in a
 * bounded buffer of stamped lines that {@code grove logs} reads and follows. All of them are
 * stopped when the daemon exits.
 */
public final class PersistentProcesses {
  /** Lines kept per process; older ones are dropped. */
  public static final int KEPT_LINES = 5_000;

  /** A line of output and when it came. */
  public record Line(Instant time, String stream, String text) {}

  /** Someone following a process's output; called under its lock: hand lines on, never block. */
  public interface Follower {
    void line(Line line);

    /** The process exited (or was replaced): no more lines come from it. */
    void end();
  }

  /** Stops following. */
  @FunctionalInterface
  public interface Subscription {
    void cancel();
  }

  private final Map<String, Running> running = new ConcurrentHashMap<>();

  /**
   * One lock per key: a start (stop the old process, start the new one, track it) and a stop of a
   * key never interleave, so two deploys of one action at once leave one tracked process.
   */
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  private final List<Consumer<String>> startListeners = new CopyOnWriteArrayList<>();

  /** The daemon makes one, for its exec Deploys and their logs. */
  public PersistentProcesses() {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(this::stopAll, "grove-persistent-processes-stop"));
  }

  /** The key of an action's process: its project and its reference. */
  public static String key(Path projectRoot, String ref) {
    return projectRoot + "#" + ref;
  }

  /** One running (or exited) process and its output. */
  public final class Running {
    private final String version;
    private final Process process;
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private final List<Follower> followers = new ArrayList<>();
    private final CountDownLatch drained = new CountDownLatch(2);
    private LogSink sink;
    private boolean ended;

    private Running(String version, Process process, LogSink sink) {
      this.version = version;
      this.process = process;
      this.sink = sink;
    }

    public String version() {
      return version;
    }

    /** The process's id: another after a redeploy replaced it. */
    public long pid() {
      return process.pid();
    }

    public boolean alive() {
      return process.isAlive();
    }

    /** The exit code once it exited. */
    public Optional<Integer> exitCode() {
      return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /**
     * Waits a little (at most {@link ProcessRunner#DRAIN}) for an exited process's output to be
     * read to its end, so that what it said before it exited comes before what is said about its
     * exit.
     */
    public void awaitOutput() throws InterruptedException {
      drained.await(ProcessRunner.DRAIN.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits at most {@code limit} for the process to exit; true when it did. */
    public boolean awaitExit(Duration limit) throws InterruptedException {
      return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The deploy is done: its log sink (the run's events) gets no more lines. */
    public synchronized void detach() {
      sink = null;
    }

    /** The last lines, oldest first. */
    public synchronized List<Line> lines() {
      return List.copyOf(lines);
    }

    private void line(String stream, String text) {
      Line line = new Line(Instant.now(), stream, text);
      LogSink to;
      synchronized (this) {
        lines.addLast(line);
        if (lines.size() > KEPT_LINES) {
          lines.removeFirst();
        }
        followers.forEach(f -> f.line(line));
        to = sink;
      }
      if (to != null) {
        try {
          to.line(stream, text);
        } catch (RuntimeException e) {
          synchronized (this) {
            sink = null; // the run is gone; the process goes on
          }
        }
      }
    }

    private void drainedOne() {
      drained.countDown();
      if (drained.getCount() == 0) {
        end();
      }
    }

    private void end() {
      List<Follower> told;
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
        told = List.copyOf(followers);
        followers.clear();
      }
      told.forEach(Follower::end);
    }

    private void stop() {
      ProcessRunner.stopTree(process);
      try {
        drained.await(ProcessRunner.DRAIN.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      end();
    }
  }

  private Object lock(String key) {
    return locks.computeIfAbsent(key, k -> new Object());
  }

  /**
   * Starts {@code command} for {@code key}, stopping the process the key had (whichever deploy
   * started it). Its output goes to the buffer, and to {@code sink} until {@link Running#detach}.
   */
  public Running start(
      String key,
      String version,
      String label,
      List<String> command,
      Path workDir,
      Map<String, String> env,
      LogSink sink)
      throws ActionException {
    Running started;
    synchronized (lock(key)) {
      stop(key);
      started = launch(key, version, label, command, workDir, env, sink);
    }
    for (Consumer<String> listener : startListeners) {
      listener.accept(key);
    }
    return started;
  }

  /**
   * Calls {@code listener} with the key after each start (a redeploy's too), so that those who
   * follow a key's output move on to the new process at once; until the subscription is cancelled.
   */
  public Subscription onStart(Consumer<String> listener) {
    startListeners.add(listener);
    return () -> startListeners.remove(listener);
  }

  private Running launch(
      String key,
      String version,
      String label,
      List<String> command,
      Path workDir,
      Map<String, String> env,
      LogSink sink)
      throws ActionException {
    if (!Files.isDirectory(workDir)) {
      throw new ActionException(
          ActionCodes.COMMAND_NOT_STARTED,
          label + ": could not start `" + String.join(" ", command) + "`: no folder " + workDir,
          "Check the action's source folder.");
    }
    ProcessBuilder builder = ProcessRunner.builder(command, workDir, env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new ActionException(
          ActionCodes.COMMAND_NOT_STARTED,
          label + ": could not start `" + String.join(" ", command) + "`: " + e.getMessage(),
          "Check that `" + command.get(0) + "` is installed and on the PATH.");
    }
    Running started = new Running(version, process, sink);
    running.put(key, started);
    record(key, process);
    process.onExit().thenRun(() -> forget(key, process));
    read(label, LogSink.STDOUT, process.getInputStream(), started);
    read(label, LogSink.STDERR, process.getErrorStream(), started);
    return started;
  }

  private static void read(String label, String stream, InputStream in, Running into) {
    ProcessRunner.startReader(label + " persistent", stream, in, into::line, into::drainedOne);
  }

  /** The key's process, running or exited (its output stays readable until replaced). */
  public Optional<Running> get(String key) {
    return Optional.ofNullable(running.get(key));
  }

  /** Stops the key's process and forgets it; false when it had none. */
  public boolean stop(String key) {
    synchronized (lock(key)) {
      Running old = running.remove(key);
      if (old == null) {
        return false;
      }
      old.stop();
      return true;
    }
  }

  /**
   * Stops {@code expected} if it is still the key's process, and forgets it; false when another
   * deploy replaced it (that one is left running; the replaced one was stopped then).
   */
  public boolean stop(String key, Running expected) {
    synchronized (lock(key)) {
      if (!running.remove(key, expected)) {
        return false;
      }
      expected.stop();
      return true;
    }
  }

  /**
   * Follows the key's current process: its buffered lines after {@code since} (or, without one, the
   * last {@code tail}; a line at exactly {@code since} too, the caller skips what it saw), then
   * each new line, until it ends. Empty when the key has no process.
   */
  public Optional<Subscription> follow(String key, Instant since, int tail, Follower follower) {
    Running process = running.get(key);
    if (process == null) {
      return Optional.empty();
    }
    boolean ended;
    synchronized (process) {
      List<Line> kept = new ArrayList<>();
      for (Line line : process.lines) {
        if (since == null || !line.time().isBefore(since)) {
          kept.add(line);
        }
      }
      if (since == null && kept.size() > tail) {
        kept = kept.subList(kept.size() - tail, kept.size());
      }
      kept.forEach(follower::line);
      ended = process.ended;
      if (!ended) {
        process.followers.add(follower);
      }
    }
    if (ended) {
      follower.end();
    }
    return Optional.of(
        () -> {
          synchronized (process) {
            process.followers.remove(follower);
          }
        });
  }

  // ---- pid records: a daemon killed before its shutdown hook ran leaves its processes behind ----

  private final ProcessRecords records = new ProcessRecords();

  /**
   * Keeps a record of each process (pid and start time) in {@code dir} while it runs, and first
   * stops the processes a previous daemon recorded and left running (killed with SIGKILL, out of
   * memory): a redeploy would otherwise start a second copy beside an orphan nobody can stop.
   * Returns how many were stopped.
   */
  public int useRecords(Path dir) {
    return records.use(dir);
  }

  private void record(String key, Process process) {
    records.record(key, process);
  }

  private void forget(String key, Process process) {
    records.forget(key, process);
  }

  private void stopAll() {
    for (String key : List.copyOf(running.keySet())) {
      stop(key);
    }
  }
}
