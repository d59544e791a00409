package dev.grove.actions.process;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import dev.grove.actions.spi.LogSink;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one local command: the place where Grove starts processes. Output is streamed line by line
 * to a {@link LogSink} as it arrives and the last {@link #KEPT_CHARS} characters of each stream are
 * kept for outputs. On cancellation or timeout the whole process tree is stopped: SIGTERM, then
 * SIGKILL for what is left after {@link #GRACE}.
 *
 * <p>Blocks the calling thread until the command ends; call it on a worker thread. A non-zero exit
 * is a {@link Result}, not an exception: callers decide what it means.
 */
public final class ProcessRunner {

  /** How much of each stream (and of the interleaved log) is kept for the result. */
  public static final int KEPT_CHARS = 1 << 20;

  /** How long a process tree gets between SIGTERM and SIGKILL. */
  static final Duration GRACE = Duration.ofSeconds(1);

  /**
   * How long output may still arrive after the command exited. Background processes that keep its
   * stdout/stderr open are not waited for beyond this: their output is drained and dropped.
   */
  static final Duration DRAIN = Duration.ofMillis(500);

  /** How often a stop re-checks for processes that cannot be awaited. */
  private static final Duration RECHECK = Duration.ofMillis(50);

  private static final File NO_INPUT = new File("/dev/null");

  private final ProcessRecords records;

  /** A runner that keeps its records in memory only (tests; the daemon passes its own). */
  public ProcessRunner() {
    this(new ProcessRecords());
  }

  /**
   * A runner whose commands are recorded in {@code records}: the daemon's are kept on disk, so that
   * the next daemon stops those a killed one left, and stopped when it exits ({@link
   * ProcessRecords#stopAllAtExit}).
   */
  public ProcessRunner(ProcessRecords records) {
    this.records = records;
  }

  /**
   * What a command did.
   *
   * @param exitCode its exit code (128 + signal when killed by a signal)
   * @param stdout the kept tail of its stdout, without the trailing newline
   * @param stderr the kept tail of its stderr, likewise
   * @param log the kept tail of both, interleaved in arrival order
   */
  public record Result(int exitCode, String stdout, String stderr, String log) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /** Runs {@code command}; its reader threads are named after the command. */
  public Result run(
      List<String> command,
      Path workDir,
      Map<String, String> env,
      LogSink sink,
      Cancellation cancellation,
      Duration timeout)
      throws ActionException {
    return run(
        command.isEmpty() ? "command" : command.get(0),
        command,
        workDir,
        env,
        sink,
        cancellation,
        timeout);
  }

  /**
   * Runs {@code command} in {@code workDir} with exactly {@code env} as its environment, stdin from
   * {@code /dev/null}.
   *
   * @param label who runs it (an action reference): names the reader threads and starts messages
   * @throws ActionException {@code COMMAND_NOT_STARTED}, {@code TIMEOUT} or {@code CANCELLED}
   */
  public Result run(
      String label,
      List<String> command,
      Path workDir,
      Map<String, String> env,
      LogSink sink,
      Cancellation cancellation,
      Duration timeout)
      throws ActionException {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    String shown = String.join(" ", command);
    if (cancellation.isCancelled()) {
      throw stopped(label, shown, cancellation.reason(), timeout);
    }
    if (!Files.isDirectory(workDir)) {
      throw notStarted(label, command, workDir, "the folder does not exist");
    }
    ProcessBuilder builder = builder(command, workDir, env);

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw notStarted(label, command, workDir, e.getMessage());
    }

    String key = "command " + process.pid() + " " + System.nanoTime();
    records.record(key, process);
    try {
      return await(label, shown, process, sink, cancellation, timeout);
    } finally {
      records.forget(key, process);
    }
  }

  private Result await(
      String label,
      String shown,
      Process process,
      LogSink sink,
      Cancellation cancellation,
      Duration timeout)
      throws ActionException {
    Output output = new Output(sink);
    CountDownLatch drained = new CountDownLatch(2);
    startReader(label, LogSink.STDOUT, process.getInputStream(), output::line, drained::countDown);
    startReader(label, LogSink.STDERR, process.getErrorStream(), output::line, drained::countDown);

    // Woken by the exit or by a cancellation, whichever comes first.
    CountDownLatch wake = new CountDownLatch(1);
    process.onExit().thenRun(wake::countDown);
    Runnable onCancel = wake::countDown;
    cancellation.onCancel(onCancel);
    try {
      boolean woken = wake.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (process.isAlive()) {
        stopTree(process);
        awaitQuietly(drained, DRAIN);
        output.detach();
        Cancellation.Reason reason = woken ? cancellation.reason() : Cancellation.Reason.TIMEOUT;
        throw stopped(label, shown, reason, timeout);
      }
    } catch (InterruptedException e) {
      stopTree(process);
      output.detach();
      Thread.currentThread().interrupt();
      throw stopped(label, shown, Cancellation.Reason.CANCELLED, timeout);
    } finally {
      cancellation.removeListener(onCancel);
    }
    awaitQuietly(drained, DRAIN);
    output.detach();
    return output.result(process.exitValue());
  }

  /**
   * Stops {@code process} and every process below it. The descendants are listed before the parent
   * is signalled: once it is gone, its children are re-parented and no longer found from it.
   */
  static void stopTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    tree.addAll(process.descendants().toList());
    tree.forEach(ProcessHandle::destroy);
    awaitExits(tree, GRACE);
    tree.stream().filter(ProcessRunner::running).forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(GRACE.toMillis() / 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until none of {@code handles} runs any more, at most {@code limit}. Exits are awaited,
   * but checked every {@link #RECHECK} as well: a killed grandchild whose parent is gone stays a
   * zombie when the system's init does not reap (containers), and a zombie never "exits".
   */
  private static void awaitExits(List<ProcessHandle> handles, Duration limit) {
    CountDownLatch gone = new CountDownLatch(handles.size());
    handles.forEach(h -> h.onExit().thenRun(gone::countDown));
    long deadline = System.nanoTime() + limit.toNanos();
    try {
      while (!gone.await(RECHECK.toMillis(), TimeUnit.MILLISECONDS)) {
        if (handles.stream().noneMatch(ProcessRunner::running)
            || System.nanoTime() - deadline > 0) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Alive and not a zombie; outside Linux, alive. */
  static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    try {
      String text = Files.readString(stat);
      return !text.substring(text.lastIndexOf(')') + 1).trim().startsWith("Z");
    } catch (IOException | RuntimeException e) {
      return !Files.exists(stat.getParent().getParent()) && process.isAlive();
    }
  }

  private static void awaitQuietly(CountDownLatch latch, Duration limit) {
    try {
      latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The JVM looks a program up on its own {@code PATH}; the command's environment may set another,
   * so a bare program name is looked up there first.
   */
  static List<String> resolve(List<String> command, Map<String, String> env) {
    String program = command.get(0);
    if (program.contains(File.separator)) {
      return command;
    }
    return onPath(program, env.get("PATH"))
        .map(
            found -> {
              List<String> resolved = new ArrayList<>(command);
              resolved.set(0, found.toString());
              return resolved;
            })
        .orElse(command);
  }

  /** The executable file {@code program} names on {@code path} (a {@code PATH} value), if any. */
  public static java.util.Optional<Path> onPath(String program, String path) {
    if (path == null || path.isBlank()) {
      return java.util.Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return java.util.Optional.of(candidate);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * How Grove starts a command: resolved on the action's PATH, in its folder, with exactly its
   * environment and no input.
   */
  static ProcessBuilder builder(List<String> command, Path workDir, Map<String, String> env) {
    ProcessBuilder builder =
        new ProcessBuilder(resolve(command, env))
            .directory(workDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder;
  }

  /**
   * Reads one of a process's streams line by line on its own thread, handing each line to {@code
   * lines} with the stream's name, then calls {@code ended}.
   */
  static void startReader(
      String label,
      String stream,
      InputStream in,
      java.util.function.BiConsumer<String, String> lines,
      Runnable ended) {
    Thread reader =
        new Thread(
            () -> {
              try {
                LineReader.read(in, line -> lines.accept(stream, line));
              } catch (IOException e) {
                // The stream closes under us when the process is killed: the output ends here.
              } finally {
                ended.run();
              }
            },
            label + " " + stream);
    reader.setDaemon(true);
    reader.start();
  }

  private static ActionException notStarted(
      String label, List<String> command, Path workDir, String reason) {
    return new ActionException(
        ActionCodes.COMMAND_NOT_STARTED,
        label
            + ": could not start `"
            + String.join(" ", command)
            + "` in "
            + workDir
            + ": "
            + reason,
        "Check that `"
            + command.get(0)
            + "` is installed and on the PATH, and that the folder exists.");
  }

  private static ActionException stopped(
      String label, String shown, Cancellation.Reason reason, Duration timeout) {
    if (reason == Cancellation.Reason.TIMEOUT) {
      return new ActionException(
          ActionCodes.TIMEOUT,
          label + ": `" + shown + "` timed out after " + seconds(timeout) + " s",
          "Raise the action's `timeout` or make the command faster.");
    }
    return new ActionException(
        ActionCodes.CANCELLED,
        label + ": `" + shown + "` was cancelled",
        "Nothing to fix: the run was cancelled. Run the command again when needed.");
  }

  private static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0
        ? Long.toString(millis / 1000)
        : java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
  }

  /** Where the reader threads put lines: the sink, the kept tails. */
  private static final class Output {
    private final LogSink sink;
    private final Map<String, TailBuffer> streams = new HashMap<>();
    private final TailBuffer log = new TailBuffer(KEPT_CHARS);
    private volatile boolean detached;
    private RuntimeException sinkFailure;

    Output(LogSink sink) {
      this.sink = sink;
      streams.put(LogSink.STDOUT, new TailBuffer(KEPT_CHARS));
      streams.put(LogSink.STDERR, new TailBuffer(KEPT_CHARS));
    }

    void line(String stream, String text) {
      if (detached) {
        return;
      }
      synchronized (log) {
        streams.get(stream).add(text);
        log.add(text);
        if (sinkFailure != null) {
          return;
        }
        try {
          sink.line(stream, text);
        } catch (RuntimeException e) {
          // Keep draining the pipe so that the process does not block; the failure is rethrown.
          sinkFailure = e;
        }
      }
    }

    /** After this, lines are dropped: the result is taken and the sink may be gone. */
    void detach() {
      detached = true;
    }

    Result result(int exitCode) {
      synchronized (log) {
        if (sinkFailure != null) {
          throw sinkFailure;
        }
        return new Result(
            exitCode,
            streams.get(LogSink.STDOUT).toString(),
            streams.get(LogSink.STDERR).toString(),
            log.toString());
      }
    }
  }
}
