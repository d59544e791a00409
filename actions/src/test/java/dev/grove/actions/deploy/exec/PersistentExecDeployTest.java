package dev.grove.actions.deploy.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.process.TestContexts;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.action.ActionKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code persistent: true}: the deploy command keeps running, its output readable afterwards. */
class PersistentExecDeployTest {
  private static final String TICKER =
      "echo starting; echo warn >&2; touch ready; while true; do echo tick; sleep 0.05; done";

  @TempDir Path root;
  private Path source;
  private TestContexts contexts;
  private final PersistentProcesses processes = new PersistentProcesses();
  private ExecDeployHandler handler;
  private String key;

  @BeforeEach
  void setUp() throws Exception {
    source = Files.createDirectory(root.resolve("api"));
    contexts = new TestContexts(source);
    handler = new ExecDeployHandler(new ProcessRunner(), processes);
    key = PersistentProcesses.key(context(Map.of()).projectRoot(), "deploy.api");
  }

  @AfterEach
  void tearDown() {
    processes.stop(key);
  }

  private ActionContext context(Map<String, Object> spec) {
    return contexts.context(ActionKind.DEPLOY, "api", spec);
  }

  private Map<String, Object> ticker() {
    return Map.of("deployCommand", List.of("sh", "-c", TICKER), "persistent", true);
  }

  @Test
  void theProcessKeepsRunningAfterTheDeployAndItsOutputIsKept() throws Exception {
    handler.process(context(ticker()));

    PersistentProcesses.Running running = processes.get(key).orElseThrow();
    assertThat(running.alive()).isTrue();
    assertThat(handler.status(context(ticker())).ready()).isTrue();
    List<String> followed = new CopyOnWriteArrayList<>();
    CountDownLatch ticks = new CountDownLatch(5);
    processes.follow(
        key,
        null,
        100,
        new PersistentProcesses.Follower() {
          @Override
          public void line(PersistentProcesses.Line line) {
            followed.add(line.text());
            if (line.text().equals("tick")) {
              ticks.countDown();
            }
          }

          @Override
          public void end() {}
        });
    assertThat(ticks.await(5, TimeUnit.SECONDS)).as("ticks keep coming after the deploy").isTrue();
    assertThat(followed).contains("starting", "warn");
  }

  @Test
  void aRedeployReplacesTheProcessAndCleanupStopsIt() throws Exception {
    handler.process(context(ticker()));
    PersistentProcesses.Running first = processes.get(key).orElseThrow();
    CountDownLatch ended = new CountDownLatch(1);
    processes.follow(
        key,
        null,
        0,
        new PersistentProcesses.Follower() {
          @Override
          public void line(PersistentProcesses.Line line) {}

          @Override
          public void end() {
            ended.countDown();
          }
        });

    handler.process(context(ticker()));
    assertThat(first.alive()).isFalse();
    assertThat(ended.await(5, TimeUnit.SECONDS)).as("its followers are told").isTrue();
    PersistentProcesses.Running second = processes.get(key).orElseThrow();
    assertThat(second.alive()).isTrue();

    handler.cleanup(context(ticker()));
    assertThat(second.alive()).isFalse();
    assertThat(processes.get(key)).isEmpty();
    assertThat(handler.status(context(ticker())).ready()).isFalse();
  }

  @Test
  void theDeployWaitsForTheStatusCommandThenLeavesTheProcessRunning() throws Exception {
    handler.process(
        context(
            Map.of(
                "deployCommand",
                List.of("sh", "-c", "sleep 0.3; " + TICKER),
                "statusCommand",
                List.of("test", "-f", "ready"),
                "persistent",
                true)));

    assertThat(Files.exists(source.resolve("ready"))).isTrue();
    assertThat(processes.get(key).orElseThrow().alive()).isTrue();
  }

  @Test
  void aCommandThatExitsBeforeItIsReadyFails() {
    assertThatThrownBy(
            () ->
                handler.process(
                    context(
                        Map.of(
                            "deployCommand",
                            List.of("sh", "-c", "echo no port; exit 3"),
                            "statusCommand",
                            List.of("false"),
                            "persistent",
                            true))))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.COMMAND_FAILED);
              assertThat(e.getMessage()).contains("exited with code 3 before it was ready");
            });
    assertThat(contexts.lines).contains("stdout:no port");
  }

  @Test
  void theStatusIsNotReadyWhenNoProcessRunsHere() throws Exception {
    assertThat(handler.status(context(ticker())).ready()).isFalse();
  }
}
