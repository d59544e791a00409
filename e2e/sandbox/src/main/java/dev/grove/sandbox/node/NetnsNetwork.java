package dev.grove.sandbox.node;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux network namespace ({@code ip netns add NAME}) with its loopback up: the node's network.
 * {@link #inNode} runs tasks on pool threads that entered it with {@code setns(2)}: a namespace is
 * a property of an OS thread, and a socket keeps the namespace it was created in.
 */
public final class NetnsNetwork implements NodeNetwork, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NetnsNetwork.class);
  private static final Path NETNS_DIR = Path.of("/var/run/netns");
  private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final ThreadPoolExecutor threads;

  /** Per pool thread: whether it entered the namespace. A thread that could not runs no task. */
  private final ThreadLocal<Boolean> entered = ThreadLocal.withInitial(() -> false);

  private volatile boolean closed;

  private NetnsNetwork(String name) {
    this.name = name;
    AtomicInteger count = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            0,
            64,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            task -> {
              Thread thread = new Thread(task, "node-netns-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Creates the namespace {@code name} (removing one of that name first: what a crashed run of the
   * same sandbox left) and brings its loopback up.
   *
   * @throws IOException when {@code ip} fails (not root, no netns support)
   */
  public static NetnsNetwork create(String name) throws IOException {
    delete(name);
    ip(List.of("ip", "netns", "add", name));
    NetnsNetwork network = new NetnsNetwork(name);
    try {
      ip(List.of("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"));
    } catch (IOException e) {
      network.close();
      throw e;
    }
    LOG.info("Created network namespace {}", name);
    return network;
  }

  /** Whether a namespace {@code name} exists ({@code /var/run/netns/NAME}). */
  public static boolean exists(String name) {
    return Files.exists(NETNS_DIR.resolve(name));
  }

  /** Deletes the namespace {@code name} when it exists (its bridge and veths go with it). */
  public static void delete(String name) throws IOException {
    if (exists(name)) {
      ip(List.of("ip", "netns", "delete", name));
    }
  }

  @Override
  public String namespace() {
    return name;
  }

  /** The namespace's file, what {@code setns} and {@code nsenter --net=} take. */
  public Path file() {
    return NETNS_DIR.resolve(name);
  }

  @Override
  public <T> T inNode(Callable<T> task) throws IOException {
    if (closed) {
      throw new IOException("The node's network namespace " + name + " is gone");
    }
    Future<T> result;
    try {
      result = threads.submit(() -> enterThen(task));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new IOException(
          "The node's network namespace " + name + " is closed or has no free thread", e);
    }
    try {
      return result.get();
    } catch (InterruptedException e) {
      result.cancel(true);
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("Interrupted in node namespace " + name);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause.getMessage(), cause);
    }
  }

  private <T> T enterThen(Callable<T> task) throws Exception {
    if (!entered.get()) {
      enter();
      entered.set(true);
    }
    return task.call();
  }

  /** Moves this OS thread into the namespace; throws, leaving it where it was, when it cannot. */
  private void enter() throws IOException {
    Libc libc = Libc.get();
    int fd;
    try {
      fd = libc.open(file().toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IOException("Cannot open " + file() + " (errno " + e.getErrorCode() + ")", e);
    }
    try {
      libc.setns(fd, Libc.CLONE_NEWNET);
    } catch (LastErrorException e) {
      throw new IOException(
          "Cannot enter network namespace " + name + " (errno " + e.getErrorCode() + ")", e);
    } finally {
      libc.close(fd);
    }
  }

  @Override
  public int run(List<String> command, Duration timeout) throws IOException {
    return exec(command, timeout).exitCode();
  }

  /** What a command run in the namespace printed (stdout and stderr) and its exit code. */
  public Result exec(List<String> command, Duration timeout) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(command);
    return Commands.run(full, timeout);
  }

  /** A finished command: exit code (-1 when it was killed at its deadline) and its output. */
  public record Result(int exitCode, String output) {}

  private static void ip(List<String> command) throws IOException {
    Result result = Commands.run(command, IP_TIMEOUT);
    if (result.exitCode() != 0) {
      throw new IOException(
          "`" + String.join(" ", command) + "` failed: " + result.output().strip());
    }
  }

  /** Stops the pool and deletes the namespace. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    threads.shutdownNow();
    try {
      delete(name);
      LOG.info("Deleted network namespace {}", name);
    } catch (IOException e) {
      LOG.warn("Could not delete network namespace {}: {}", name, e.getMessage());
    }
  }

  /** Runs commands with a deadline, collecting their output. */
  static final class Commands {
    private Commands() {}

    static Result run(List<String> command, Duration timeout) throws IOException {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      java.util.concurrent.CompletableFuture<String> output =
          new java.util.concurrent.CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  output.complete(
                      new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  output.complete("");
                }
              },
              "node-command-output");
      reader.setDaemon(true);
      reader.start();
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
          return new Result(-1, output.getNow("") + " (killed after " + timeout + ")");
        }
        return new Result(process.exitValue(), output.get(5, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("Interrupted running " + command);
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        return new Result(process.exitValue(), "");
      }
    }
  }
}
