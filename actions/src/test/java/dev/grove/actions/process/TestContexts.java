package dev.grove.actions.process;

import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.Cancellation;
import dev.grove.actions.spi.LogSink;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Action contexts for exec handler tests, with a sink that records lines as "stream:text". */
public final class TestContexts {
  public static final Map<String, String> CLI_ENV =
      Map.of("PATH", "/usr/bin:/bin", "FROM_CLI", "cli");

  public final List<String> lines = new CopyOnWriteArrayList<>();
  public final LogSink sink =
      (stream, text) -> {
        synchronized (this) {
          lines.add(stream + ":" + text);
          notifyAll();
        }
      };
  public final Cancellation cancellation = new Cancellation();
  private final Path dir;

  public TestContexts(Path dir) {
    this.dir = dir;
  }

  /** Waits until the sink got {@code line} ("stream:text"); false after {@code limit}. */
  public synchronized boolean awaitLine(String line, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!lines.contains(line)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  public ActionContext context(ActionKind kind, String name, Map<String, Object> spec) {
    return context(kind, name, spec, Duration.ofSeconds(10));
  }

  public ActionContext context(
      ActionKind kind, String name, Map<String, Object> spec, Duration timeout) {
    return ActionContext.builder(ActionRef.of(kind, name), "exec", "v-0123456789")
        .spec(spec)
        .dirs(dir, dir.getParent())
        .env(CLI_ENV)
        .timeout(timeout)
        .log(sink)
        .cancellation(cancellation)
        .build();
  }
}
