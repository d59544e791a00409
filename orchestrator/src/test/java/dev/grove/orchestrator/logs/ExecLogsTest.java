package dev.grove.orchestrator.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.spi.LogSource;
import dev.grove.orchestrator.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A persistent exec Deploy's output through the hub, with real processes. */
class ExecLogsTest {
  @TempDir Path root;
  private final PersistentProcesses processes = new PersistentProcesses();
  private String key;

  @AfterEach
  void tearDown() {
    processes.stop(key);
  }

  private void deploy(String output) throws Exception {
    processes.start(
        key,
        "v",
        "deploy.api",
        List.of("sh", "-c", "echo " + output + "; sleep 30"),
        root,
        Map.of("PATH", "/usr/bin:/bin"),
        (stream, text) -> {});
  }

  private static void await(List<String> lines, String line) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!lines.contains(line) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Test
  void aRedeploysOutputIsReadAtOnceNotAfterTheBackOff() throws Exception {
    key = PersistentProcesses.key(root, "deploy.api");
    deploy("first");
    List<Runnable> backOff = new CopyOnWriteArrayList<>();
    LogsService logs =
        new LogsService(
            null, Fixtures.router(), processes, Runnable::run, (delay, task) -> backOff.add(task));
    List<String> lines = new CopyOnWriteArrayList<>();
    logs.hub()
        .subscribe(
            new LogSource(ExecLogReaders.CLUSTER, key, "api", ExecLogReaders.CONTAINER),
            new LogHub.Subscriber() {
              @Override
              public void history(List<LogEntry> entries) {
                entries.forEach(this::line);
              }

              @Override
              public void line(LogEntry line) {
                lines.add(line.text());
              }
            });
    await(lines, "first");

    deploy("second");
    await(lines, "second");

    assertThat(lines).containsExactly("first", "second");
  }
}
