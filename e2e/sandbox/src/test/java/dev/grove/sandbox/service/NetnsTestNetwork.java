package dev.grove.sandbox.service;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.grove.sandbox.node.NodeNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A test's node network: a namespace {@code ip netns add} made, entered by one JVM thread through
 * setns(2) (JNA), which runs every {@link #inNode} task.
 */
final class NetnsTestNetwork implements NodeNetwork, AutoCloseable {

  private static final int CLONE_NEWNET = 0x40000000;

  interface LibC extends Library {
    int open(String path, int flags);

    int setns(int fd, int nstype);

    int close(int fd);
  }

  private final String name;
  private final ExecutorService thread;

  NetnsTestNetwork(String name) throws IOException {
    this.name = name;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "netns " + name);
              t.setDaemon(true);
              return t;
            });
    Path file = Path.of("/run/netns", name);
    if (!Files.exists(file)) {
      throw new IOException("no network namespace " + name);
    }
    inNode(
        () -> {
          LibC libc = Native.load("c", LibC.class);
          int fd = libc.open(file.toString(), 0);
          if (fd < 0) {
            throw new IOException("cannot open " + file);
          }
          try {
            if (libc.setns(fd, CLONE_NEWNET) != 0) {
              throw new IOException("setns(" + file + ") failed");
            }
          } finally {
            libc.close(fd);
          }
          return null;
        });
  }

  @Override
  public String namespace() {
    return name;
  }

  @Override
  public <T> T inNode(Callable<T> task) throws IOException {
    try {
      return thread.submit(task).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } catch (TimeoutException e) {
      throw new IOException("a task in the node took over 30 s", e);
    }
  }

  @Override
  public int run(List<String> command, Duration timeout) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(command);
    return Netns.run(full, timeout).exit();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
