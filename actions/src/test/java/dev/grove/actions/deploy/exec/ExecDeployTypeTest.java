package dev.grove.actions.deploy.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.process.TestContexts;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.Cancellation;
import dev.grove.actions.spi.Cleanable;
import dev.grove.api.action.ActionKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecDeployTypeTest {

  @TempDir Path root;
  private Path source;
  private TestContexts contexts;
  private final dev.grove.actions.process.PersistentProcesses processes =
      new dev.grove.actions.process.PersistentProcesses();
  private final ExecDeployType type = new ExecDeployType(processes, new ProcessRunner());
  private final ActionHandler handler = type.handler();

  @BeforeEach
  void setUp() throws Exception {
    source = Files.createDirectory(root.resolve("db"));
    contexts = new TestContexts(source);
  }

  private ActionContext context(Map<String, Object> spec) {
    return contexts.context(ActionKind.DEPLOY, "db", spec);
  }

  private static ActionException failure(ThrowingCall call) {
    try {
      call.run();
    } catch (ActionException e) {
      return e;
    }
    throw new AssertionError("expected an ActionException");
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws ActionException;
  }

  @Test
  void theTypeReturnsItsExecHandlerWhichCanCleanUp() {
    assertThat(handler).isInstanceOf(ExecDeployHandler.class).isInstanceOf(Cleanable.class);
    assertThat(type).isInstanceOf(Cleanable.class);
  }

  @Test
  void processRunsTheDeployCommandAndReturnsItsOutputs() throws Exception {
    ActionHandler.Outputs outputs =
        handler.process(
            context(
                Map.of(
                    "deployCommand",
                    List.of("sh", "-c", "echo deployed $GROVE_ACTION_KIND $DB"),
                    "env",
                    Map.of("DB", "pg"))));

    assertThat(outputs.values()).containsEntry("stdout", "deployed deploy pg");
    assertThat(contexts.lines).containsExactly("stdout:deployed deploy pg");
  }

  @Test
  void aFailingDeployCommandFailsWithItsExitCode() {
    ActionException e =
        failure(() -> handler.process(context(Map.of("deployCommand", "echo no db >&2; exit 4"))));

    assertThat(e.code()).isEqualTo(ActionCodes.COMMAND_FAILED);
    assertThat(e.getMessage()).contains("deploy.db", "deployCommand", "code 4", "no db");
  }

  @Test
  void statusIsReadyOnlyWhenTheStatusCommandExitsZero() throws Exception {
    Files.writeString(source.resolve("state"), "");
    Map<String, Object> spec =
        Map.of("deployCommand", "true", "statusCommand", List.of("test", "-s", "state"));

    assertThat(handler.status(context(spec)).detail()).isEqualTo("outdated");
    Files.writeString(source.resolve("state"), "up");
    assertThat(handler.status(context(spec)).ready()).isTrue();
    assertThat(handler.status(context(Map.of("deployCommand", "true"))))
        .isEqualTo(ActionHandler.Status.notReady("not-ready"));
  }

  @Test
  void aSlowStatusCommandTimesOutAfterStatusTimeout() {
    long start = System.nanoTime();
    ActionException e =
        failure(
            () ->
                handler.status(
                    context(
                        Map.of(
                            "deployCommand", "true",
                            "statusCommand", "sleep 30",
                            "statusTimeout", 0.5))));

    assertThat(e.code()).isEqualTo(ActionCodes.TIMEOUT);
    assertThat(e.getMessage()).contains("timed out after 0.5 s", "statusTimeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(4000));
  }

  @Test
  void theDeployCommandTimesOutAfterTheActionsTimeout() {
    long start = System.nanoTime();
    ActionException e =
        failure(
            () ->
                handler.process(
                    contexts.context(
                        ActionKind.DEPLOY,
                        "db",
                        Map.of("deployCommand", "sleep 30"),
                        Duration.ofMillis(500))));

    assertThat(e.code()).isEqualTo(ActionCodes.TIMEOUT);
    assertThat(e.suggestion()).contains("timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(4000));
  }

  @Test
  void cancellingTheRunStopsTheDeployCommandsProcessTree() throws Exception {
    ActionContext ctx =
        context(Map.of("deployCommand", "sleep 60 & sleep 60 & echo started; wait"));
    CompletableFuture<ActionException> running =
        CompletableFuture.supplyAsync(() -> failure(() -> handler.process(ctx)));
    assertThat(contexts.awaitLine("stdout:started", Duration.ofSeconds(5))).isTrue();
    List<ProcessHandle> tree =
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().commandLine().orElse("").contains("sleep 60"))
            .toList();
    assertThat(tree).isNotEmpty();

    long start = System.nanoTime();
    contexts.cancellation.cancel(Cancellation.Reason.CANCELLED);

    assertThat(running.get(5, TimeUnit.SECONDS).code()).isEqualTo(ActionCodes.CANCELLED);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(tree).noneMatch(ExecDeployTypeTest::running);
  }

  @Test
  void cleanupRunsTheCleanupCommandAndWithoutOneDoesNothing() throws Exception {
    Files.writeString(source.resolve("deployed"), "yes");

    type.cleanup(context(Map.of("deployCommand", "true")));
    assertThat(source.resolve("deployed")).exists();
    type.cleanup(context(Map.of("deployCommand", "true", "cleanupCommand", "rm deployed")));
    assertThat(source.resolve("deployed")).doesNotExist();
  }

  @Test
  void aPersistentCommandIsReadyOnceStartedAndItsOutputStaysReadable() throws Exception {
    ActionContext context = context(Map.of("deployCommand", "echo once", "persistent", true));
    handler.process(context);
    String key =
        dev.grove.actions.process.PersistentProcesses.key(context.projectRoot(), "deploy.db");
    var process = processes.get(key).orElseThrow();
    assertThat(process.awaitExit(Duration.ofSeconds(5))).isTrue();
    ((Cleanable) handler).cleanup(context);
    assertThat(process.lines()).extracting(line -> line.text()).containsExactly("once");
  }

  @Test
  void aMissingDeployCommandOrABadStatusTimeoutIsAnInvalidSpec() {
    ActionException missing = failure(() -> handler.process(context(Map.of())));
    ActionException timeout =
        failure(
            () ->
                handler.status(context(Map.of("deployCommand", "true", "statusTimeout", "soon"))));

    assertThat(missing.code()).isEqualTo(ActionCodes.INVALID_SPEC);
    assertThat(missing.getMessage()).contains("deploy.db", "spec.deployCommand");
    assertThat(timeout.code()).isEqualTo(ActionCodes.INVALID_SPEC);
    assertThat(timeout.getMessage()).contains("spec.statusTimeout");
  }

  /** Alive and not a zombie (this sandbox's init does not reap re-parented processes). */
  private static boolean running(ProcessHandle process) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return process.isAlive() && !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
