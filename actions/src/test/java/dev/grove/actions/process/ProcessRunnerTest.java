package dev.grove.actions.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import dev.grove.actions.spi.LogSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {

  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
  private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

  @TempDir Path dir;

  private final ProcessRunner runner = new ProcessRunner();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final LogSink sink = (stream, text) -> lines.add(stream + ":" + text);

  private ProcessRunner.Result sh(String script) throws ActionException {
    return runner.run(
        "test", List.of("sh", "-c", script), dir, ENV, sink, new Cancellation(), TEN_SECONDS);
  }

  private List<String> linesOf(String stream) {
    return lines.stream()
        .filter(l -> l.startsWith(stream + ":"))
        .map(l -> l.substring(stream.length() + 1))
        .toList();
  }

  @Test
  void streamsEachStreamsLinesInOrder() throws Exception {
    ProcessRunner.Result result =
        sh(
            "i=1; while [ $i -le 1000 ]; do echo $i; [ $((i % 100)) -eq 0 ] && echo e$i >&2;"
                + " i=$((i+1)); done");

    List<String> expectedOut = IntStream.rangeClosed(1, 1000).mapToObj(Integer::toString).toList();
    List<String> expectedErr = IntStream.rangeClosed(1, 10).mapToObj(i -> "e" + i * 100).toList();
    assertThat(linesOf(LogSink.STDOUT)).containsExactlyElementsOf(expectedOut);
    assertThat(linesOf(LogSink.STDERR)).containsExactlyElementsOf(expectedErr);
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo(String.join("\n", expectedOut));
    assertThat(result.stderr()).isEqualTo(String.join("\n", expectedErr));
    // Across two pipes the arrival order is the reader threads'; within each stream it is kept.
    assertThat(result.log().split("\n"))
        .hasSize(1010)
        .containsSubsequence(expectedOut.toArray(String[]::new))
        .containsSubsequence(expectedErr.toArray(String[]::new));
  }

  @Test
  void deliversALastLineWithoutNewline() throws Exception {
    ProcessRunner.Result result = sh("printf 'one\\ntwo'; printf 'err' >&2");

    assertThat(linesOf(LogSink.STDOUT)).containsExactly("one", "two");
    assertThat(linesOf(LogSink.STDERR)).containsExactly("err");
    assertThat(result.stdout()).isEqualTo("one\ntwo");
    assertThat(result.stderr()).isEqualTo("err");
  }

  @Test
  void streamsLinesAsTheyComeNotAtTheEnd() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    Path gate = dir.resolve("gate");
    CompletableFuture<ProcessRunner.Result> running =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return runner.run(
                    "test",
                    List.of("sh", "-c", "echo first; while [ ! -e gate ]; do sleep 0.05; done"),
                    dir,
                    ENV,
                    (stream, text) -> first.countDown(),
                    new Cancellation(),
                    TEN_SECONDS);
              } catch (ActionException e) {
                throw new IllegalStateException(e);
              }
            });

    assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(running).isNotDone();
    Files.createFile(gate);
    assertThat(running.get(5, TimeUnit.SECONDS).exitCode()).isZero();
  }

  @Test
  void aNonZeroExitIsAResultNotAnException() throws Exception {
    assertThat(sh("echo boom >&2; exit 3").exitCode()).isEqualTo(3);
  }

  @Test
  void runsInTheFolderWithExactlyTheGivenEnvironmentAndNoInput() throws Exception {
    ProcessRunner.Result result =
        runner.run(
            "test",
            List.of("sh", "-c", "pwd; echo \"$ONLY\"; env | grep -c HOME; cat"),
            dir,
            Map.of("PATH", "/usr/bin:/bin", "ONLY", "this"),
            sink,
            new Cancellation(),
            TEN_SECONDS);

    assertThat(result.stdout().split("\n"))
        .containsExactly(dir.toRealPath().toString(), "this", "0");
  }

  @Test
  void looksTheProgramUpOnTheCommandsPath() throws Exception {
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path tool = bin.resolve("grove-test-tool");
    Files.writeString(tool, "#!/bin/sh\necho from tool\n");
    tool.toFile().setExecutable(true);

    ProcessRunner.Result result =
        runner.run(
            "test",
            List.of("grove-test-tool"),
            dir,
            Map.of("PATH", bin + ":/usr/bin:/bin"),
            sink,
            new Cancellation(),
            TEN_SECONDS);

    assertThat(result.stdout()).isEqualTo("from tool");
  }

  @Test
  void aRelativeProgramIsFoundInTheWorkingFolder() throws Exception {
    Path script = dir.resolve("build.sh");
    Files.writeString(script, "#!/bin/sh\necho built\n");
    script.toFile().setExecutable(true);

    ProcessRunner.Result result =
        runner.run("test", List.of("./build.sh"), dir, ENV, sink, new Cancellation(), TEN_SECONDS);

    assertThat(result.stdout()).isEqualTo("built");
  }

  @Test
  void aBackgroundProcessHoldingTheOutputOpenDoesNotHoldTheResult() throws Exception {
    long start = System.nanoTime();

    ProcessRunner.Result result = sh("sleep 3 & echo done");

    assertThat(result.stdout()).isEqualTo("done");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2800));
  }

  @Test
  void aMissingProgramIsNotStartedAndNamesCommandAndFolder() {
    assertThatThrownBy(
            () ->
                runner.run(
                    "build.api",
                    List.of("no-such-program-grove", "--x"),
                    dir,
                    ENV,
                    sink,
                    new Cancellation(),
                    TEN_SECONDS))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.COMMAND_NOT_STARTED);
              assertThat(e.getMessage())
                  .contains("build.api", "no-such-program-grove --x", dir.toString());
            });
  }

  @Test
  void aMissingFolderIsNotStarted() {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(
            () ->
                runner.run(
                    "test", List.of("true"), missing, ENV, sink, new Cancellation(), TEN_SECONDS))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.COMMAND_NOT_STARTED);
              assertThat(e.getMessage()).contains(missing.toString());
            });
  }

  @Test
  void aTimeoutStopsTheCommandPromptly() {
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                runner.run(
                    "deploy.api",
                    List.of("sh", "-c", "sleep 100"),
                    dir,
                    ENV,
                    sink,
                    new Cancellation(),
                    Duration.ofMillis(500)))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.TIMEOUT);
              assertThat(e.getMessage()).contains("deploy.api", "timed out after 0.5 s");
              assertThat(e.suggestion()).contains("timeout");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(4000));
  }

  @Test
  void aTreeThatIgnoresSigtermIsKilledAfterTheGracePeriod() {
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                runner.run(
                    "test",
                    List.of("sh", "-c", "trap '' TERM; sleep 100 & sleep 100"),
                    dir,
                    ENV,
                    sink,
                    new Cancellation(),
                    Duration.ofMillis(300)))
        .isInstanceOfSatisfying(
            ActionException.class, e -> assertThat(e.code()).isEqualTo(ActionCodes.TIMEOUT));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(4000));
  }

  @Test
  void cancellingStopsTheWholeProcessTreeWithinTwoSeconds() throws Exception {
    Cancellation cancellation = new Cancellation();
    CountDownLatch started = new CountDownLatch(1);
    Path ready = dir.resolve("ready");
    CompletableFuture<ActionException> running =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                runner.run(
                    "test",
                    List.of("sh", "-c", "sleep 100 & sleep 100 & touch ready; echo up; wait"),
                    dir,
                    ENV,
                    (stream, text) -> started.countDown(),
                    cancellation,
                    Duration.ofSeconds(30));
                return null;
              } catch (ActionException e) {
                return e;
              }
            });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ready).exists();
    List<ProcessHandle> tree = descendantsOfShellsRunning("sleep 100 & sleep 100");
    assertThat(tree).hasSizeGreaterThanOrEqualTo(3);

    long start = System.nanoTime();
    cancellation.cancel(Cancellation.Reason.CANCELLED);
    ActionException thrown = running.get(5, TimeUnit.SECONDS);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(thrown.code()).isEqualTo(ActionCodes.CANCELLED);
    assertThat(tree).noneMatch(ProcessRunnerTest::running);
  }

  /** The shell started by this JVM with that script, and everything below it. */
  private static List<ProcessHandle> descendantsOfShellsRunning(String script) {
    List<ProcessHandle> tree = new ArrayList<>();
    ProcessHandle.current()
        .children()
        .filter(
            p -> p.info().arguments().map(List::of).orElse(List.of()).toString().contains(script))
        .forEach(
            shell -> {
              tree.add(shell);
              tree.addAll(shell.descendants().toList());
            });
    return Collections.unmodifiableList(tree);
  }

  /** Alive and not a zombie (an exited process that nobody reaped yet is not running). */
  static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void recordsEachCommandItRunsSoThatTheNextDaemonStopsWhatACrashedOneLeft() throws Exception {
    Path records = dir.resolve("records");
    ProcessRecords crashed = new ProcessRecords();
    crashed.use(records);
    ProcessRunner recording = new ProcessRunner(crashed);
    CompletableFuture<Object> ran =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return recording.run(
                    "deploy.long",
                    List.of("sh", "-c", "sleep 30 & echo started; wait"),
                    dir,
                    ENV,
                    sink,
                    new Cancellation(),
                    Duration.ofSeconds(60));
              } catch (ActionException e) {
                return e;
              }
            });
    Path record = awaitOneRecord(records);
    long pid = Long.parseLong(Files.readString(record).split(" ")[0]);
    ProcessHandle shell = ProcessHandle.of(pid).orElseThrow();
    List<ProcessHandle> tree = new ArrayList<>(List.of(shell));
    long deadline = System.nanoTime() + TEN_SECONDS.toNanos();
    while (shell.descendants().findAny().isEmpty()) {
      assertThat(System.nanoTime()).as("the shell starts its sleep").isLessThan(deadline);
      Thread.sleep(20);
    }
    tree.addAll(shell.descendants().toList());

    int stopped = new ProcessRecords().use(records); // the next daemon, after a kill -9

    assertThat(stopped).isEqualTo(1);
    for (ProcessHandle process : tree) {
      process.onExit().get(5, TimeUnit.SECONDS);
      assertThat(ProcessRunner.running(process)).as("pid %d", process.pid()).isFalse();
    }
    ran.get(10, TimeUnit.SECONDS);
    try (var files = Files.list(records)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aCommandThatEndsDropsItsRecord() throws Exception {
    Path records = dir.resolve("records");
    ProcessRecords kept = new ProcessRecords();
    kept.use(records);

    ProcessRunner.Result result =
        new ProcessRunner(kept)
            .run(
                "t",
                List.of("sh", "-c", "echo hi"),
                dir,
                ENV,
                sink,
                new Cancellation(),
                TEN_SECONDS);

    assertThat(result.exitCode()).isZero();
    try (var files = Files.list(records)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void stopAllStopsTheTreesOfTheCommandsStillRunning() throws Exception {
    ProcessRecords kept = new ProcessRecords();
    CompletableFuture<Object> ran =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new ProcessRunner(kept)
                    .run(
                        "t",
                        List.of("sh", "-c", "sleep 30 & echo started; wait"),
                        dir,
                        ENV,
                        sink,
                        new Cancellation(),
                        Duration.ofSeconds(60));
              } catch (ActionException e) {
                return e;
              }
            });
    long deadline = System.nanoTime() + TEN_SECONDS.toNanos();
    while (!lines.contains(LogSink.STDOUT + ":started")) {
      assertThat(System.nanoTime()).as("the command starts").isLessThan(deadline);
      Thread.sleep(20);
    }
    List<ProcessHandle> tree =
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
            .toList();
    assertThat(tree).isNotEmpty();

    kept.stopAll(); // what the daemon's shutdown hook does

    assertThat(ran.get(10, TimeUnit.SECONDS)).isInstanceOf(ProcessRunner.Result.class);
    for (ProcessHandle process : tree) {
      process.onExit().get(5, TimeUnit.SECONDS);
    }
  }

  private static Path awaitOneRecord(Path records) throws Exception {
    long deadline = System.nanoTime() + TEN_SECONDS.toNanos();
    while (true) {
      if (Files.isDirectory(records)) {
        try (var files = Files.list(records)) {
          List<Path> found = files.toList();
          if (!found.isEmpty()) {
            return found.get(0);
          }
        }
      }
      assertThat(System.nanoTime()).as("a record is written").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
