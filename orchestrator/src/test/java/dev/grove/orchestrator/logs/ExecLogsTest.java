package dev.grove.orchestrator.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.deploy.exec.ExecDeployType;
import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.DeployLogs;
import dev.grove.api.action.ActionRef;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent exec Deploy's output through its type's logs capability and the hub, with real
 * processes.
 */
class ExecLogsTest {
  @TempDir Path root;
  private final PersistentProcesses processes = new PersistentProcesses();
  private final DeployLogs logs =
      (DeployLogs) new ExecDeployType(processes, new ProcessRunner()).handler();
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

  private ActionContext context() {
    return ActionContext.builder(ActionRef.parse("deploy.api").orElseThrow(), "exec", "v")
        .spec(Map.of("persistent", true, "deployCommand", List.of("sh")))
        .dirs(root, root)
        .build();
  }

  private static void await(LogQueue queue, List<String> lines, String line)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!lines.contains(line) && System.nanoTime() < deadline) {
      for (LogItem item : queue.poll(100)) {
        if (item instanceof LogItem.Line text) {
          lines.add(text.text());
        }
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aRedeploysOutputIsReadAtOnceNotAfterTheBackOff() throws Exception {
    key = PersistentProcesses.key(root, "deploy.api");
    deploy("first");
    List<Runnable> backOff = new CopyOnWriteArrayList<>();
    DeployLogs.Pods pods = logs.pods(context()).orElseThrow();
    LogHub hub = new LogHub(pods.readers(), Runnable::run, (delay, task) -> backOff.add(task));
    LogQueue queue = new LogQueue(() -> {});
    List<String> lines = new ArrayList<>();
    try (FollowSession session = new FollowSession(hub, queue, Instant.now(), null, null)) {
      session.watch(new LogsService.Target("deploy.api", pods.cluster(), pods, pods.namespace()));
      await(queue, lines, "first");

      deploy("second");
      await(queue, lines, "second");

      assertThat(lines).containsExactly("first", "second");
    }
  }

  @Test
  void aPersistentDeployWithoutItsProcessIsNotRunningAndAnotherRunsNothingToRead()
      throws Exception {
    key = PersistentProcesses.key(root, "deploy.api");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> logs.pods(context()))
        .isInstanceOf(DeployLogs.NotRunning.class)
        .hasMessage("deploy.api's persistent process is not running in this daemon");
    ActionContext once =
        ActionContext.builder(ActionRef.parse("deploy.api").orElseThrow(), "exec", "v")
            .spec(Map.of("deployCommand", List.of("true")))
            .dirs(root, root)
            .build();
    assertThat(logs.pods(once)).isEmpty();
  }

  @Test
  void aReadGivesTheProcessLinesAsOnePodsWithTail() throws Exception {
    key = PersistentProcesses.key(root, "deploy.api");
    processes.start(
        key,
        "v",
        "deploy.api",
        List.of("sh", "-c", "echo one; echo two; echo three; sleep 30"),
        root,
        Map.of("PATH", "/usr/bin:/bin"),
        (stream, text) -> {});
    DeployLogs.Pods pods = logs.pods(context()).orElseThrow();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (pods.read("api", "exec", null, null, 1 << 20).lines().size() < 3
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    assertThat(pods.list())
        .singleElement()
        .satisfies(
            pod -> {
              assertThat(pod.name()).isEqualTo("api");
              assertThat(pod.containers())
                  .extracting(DeployLogs.Container::name)
                  .containsExactly("exec");
            });
    assertThat(pods.read("api", "exec", null, 2, 1 << 20).lines())
        .extracting(line -> line.text())
        .containsExactly("two", "three");
  }
}
