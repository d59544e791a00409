package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12.5: a daemon killed with SIGKILL during a run leaves nothing behind. */
class DaemonCrashE2E {
  private static final Path FIXTURE =
      Path.of("src/test/resources/projects/daemon-crash").toAbsolutePath();

  @TempDir Path dir;
  private GroveProcess grove;
  private final List<ProcessHandle> started = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    grove = new GroveProcess(Files.createDirectories(dir.resolve("grove-home")), dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    started.forEach(ProcessHandle::destroyForcibly);
    grove.stopDaemon();
  }

  @Test
  void aKilledDaemonEndsTheFollowingCliWithExit3AndTheNextDaemonStopsTheRunsProcesses()
      throws Exception {
    Path err = dir.resolve("err.txt");
    String marker = "grove-crash-" + UUID.randomUUID();
    Process cli = startLongRun(marker, err);
    try {
      ProcessHandle shell = awaitProcessWith(marker, Duration.ofSeconds(60), err);
      started.add(shell);
      started.addAll(awaitDescendants(shell, Duration.ofSeconds(10)));
      // the shell runs a moment before the daemon records it: a kill -9 in that moment is not
      // what this test is about
      awaitRecord(shell, Duration.ofSeconds(10));
      long daemon = grove.daemonPid();
      assertThat(daemon).isPositive();

      ProcessHandle.of(daemon).orElseThrow().destroyForcibly();

      assertThat(cli.waitFor(20, TimeUnit.SECONDS)).as("the CLI ends").isTrue();
      String said = Files.readString(err);
      assertThat(cli.exitValue()).as(said).isEqualTo(3);
      assertThat(said).contains("went away").contains("pid " + daemon).doesNotContain("goes on");

      GroveProcess.Result next = grove.run("daemon", "start");
      assertThat(next.exitCode()).as(next.err()).isZero();
      assertThat(grove.daemonPid()).isNotEqualTo(daemon);
      for (ProcessHandle process : started) {
        assertThat(awaitGone(process, Duration.ofSeconds(10)))
            .as("%s of the killed daemon's run is gone", process.info().commandLine())
            .isTrue();
      }
    } finally {
      cli.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDaemonStoppedDuringARunEndsTheFollowingCliWithExit3NotTheRunGoesOn() throws Exception {
    Path err = dir.resolve("stop-err.txt");
    String marker = "grove-stop-" + UUID.randomUUID();
    Process cli = startLongRun(marker, err);
    try {
      ProcessHandle shell = awaitProcessWith(marker, Duration.ofSeconds(60), err);
      started.add(shell);
      long daemon = grove.daemonPid();

      GroveProcess.Result stop = grove.run("daemon", "stop");
      assertThat(stop.exitCode()).as(stop.err()).isZero();

      assertThat(cli.waitFor(20, TimeUnit.SECONDS)).as("the CLI ends").isTrue();
      String said = Files.readString(err);
      assertThat(cli.exitValue()).as(said).isEqualTo(3);
      assertThat(said).contains("went away").contains("pid " + daemon).doesNotContain("goes on");
      assertThat(awaitGone(shell, Duration.ofSeconds(10))).as("the run's shell is gone").isTrue();
    } finally {
      cli.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A grove following a run of the fixture's long exec Deploy, whose command carries marker. */
  private Process startLongRun(String marker, Path err) throws Exception {
    return grove.start(
        dir.resolve(marker + ".out"),
        err,
        "deploy",
        "long",
        "--root",
        FIXTURE.toString(),
        "--force",
        "--var",
        "marker=" + marker);
  }

  private static ProcessHandle awaitProcessWith(String marker, Duration limit, Path err)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> found =
          ProcessHandle.allProcesses()
              .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
              .findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "the action's process did not start within "
            + limit
            + "; grove said: "
            + Files.readString(err));
  }

  private static List<ProcessHandle> awaitDescendants(ProcessHandle shell, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      List<ProcessHandle> below = shell.descendants().toList();
      if (!below.isEmpty()) {
        return below;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the action's shell started no sleep within " + limit);
  }

  /** Waits until the daemon has recorded {@code process} in its home's command records. */
  private void awaitRecord(ProcessHandle process, Duration limit) throws Exception {
    Path records = dir.resolve("grove-home").resolve("processes").resolve("commands");
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(records)) {
        try (var files = Files.list(records)) {
          for (Path file : files.toList()) {
            if (Files.readString(file).startsWith(process.pid() + " ")) {
              return;
            }
          }
        } catch (java.io.IOException e) {
          // a record went while listed: look again
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the daemon recorded no process " + process.pid() + " in " + records);
  }

  /** Gone, or a zombie (a reparented child whose reaper is slow). */
  private static boolean awaitGone(ProcessHandle process, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive() || zombie(process.pid())) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
    } catch (java.io.IOException e) {
      return true;
    }
  }
}
