package dev.grove.actions.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistentProcessesTest {
  private static final List<String> SLEEPER = List.of("sh", "-c", "sleep 30");

  @TempDir Path dir;
  private final PersistentProcesses processes = new PersistentProcesses();
  private final List<PersistentProcesses.Running> started = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void tearDown() throws Exception {
    pool.shutdownNow();
    for (PersistentProcesses.Running running : started) {
      processes.stop("k", running);
    }
    processes.stop("k");
  }

  private PersistentProcesses.Running start() throws Exception {
    PersistentProcesses.Running running =
        processes.start("k", "v1", "deploy.api", SLEEPER, dir, TestContexts.CLI_ENV, (s, t) -> {});
    synchronized (started) {
      started.add(running);
    }
    return running;
  }

  @Test
  void twoDeploysOfOneActionAtOnceLeaveOneTrackedProcess() throws Exception {
    for (int round = 0; round < 5; round++) {
      CyclicBarrier together = new CyclicBarrier(2);
      List<Future<PersistentProcesses.Running>> both = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        both.add(
            pool.submit(
                () -> {
                  together.await(5, TimeUnit.SECONDS);
                  return start();
                }));
      }
      PersistentProcesses.Running a = both.get(0).get(10, TimeUnit.SECONDS);
      PersistentProcesses.Running b = both.get(1).get(10, TimeUnit.SECONDS);
      PersistentProcesses.Running tracked = processes.get("k").orElseThrow();

      assertThat(tracked).isIn(a, b);
      PersistentProcesses.Running other = tracked == a ? b : a;
      assertThat(other.alive()).as("round %d: the displaced process is stopped", round).isFalse();
      assertThat(tracked.alive()).isTrue();
    }
  }

  @Test
  void stoppingAReplacedProcessLeavesItsReplacementRunning() throws Exception {
    PersistentProcesses.Running first = start();
    PersistentProcesses.Running second = start();

    assertThat(processes.stop("k", first)).isFalse();
    assertThat(second.alive()).isTrue();
    assertThat(processes.get("k")).containsSame(second);
    assertThat(processes.stop("k", second)).isTrue();
    assertThat(second.alive()).isFalse();
  }

  @Test
  void theNextDaemonStopsWhatACrashedOneLeftRunningAndNothingElse() throws Exception {
    Path records = dir.resolve("records");
    PersistentProcesses crashed = new PersistentProcesses();
    crashed.useRecords(records);
    crashed.start("k", "v1", "deploy.api", SLEEPER, dir, TestContexts.CLI_ENV, (s, t) -> {});
    Path record;
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(records)) {
      record = files.findFirst().orElseThrow();
    }
    long pid = Long.parseLong(java.nio.file.Files.readString(record).split(" ")[0]);
    assertThat(ProcessHandle.of(pid)).isPresent();
    // a record whose pid now names another process (pid reuse): left alone
    java.nio.file.Files.writeString(
        records.resolve("reused.pid"), ProcessHandle.current().pid() + " 2001-01-01T00:00:00Z\n");

    int stopped = new PersistentProcesses().useRecords(records);

    assertThat(stopped).isEqualTo(1);
    // gone already (this JVM started it, so its reaper may have collected it), or going
    Optional<ProcessHandle> left = ProcessHandle.of(pid);
    if (left.isPresent()) {
      assertThat(left.get().onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
    }
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(records)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aProcessThatExitsDropsItsRecord() throws Exception {
    Path records = dir.resolve("records");
    processes.useRecords(records);
    PersistentProcesses.Running running =
        processes.start(
            "k",
            "v1",
            "deploy.api",
            List.of("sh", "-c", "exit 0"),
            dir,
            TestContexts.CLI_ENV,
            (s, t) -> {});
    started.add(running);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(records)) {
        if (files.findAny().isEmpty()) {
          break;
        }
      }
      assertThat(System.nanoTime()).as("the record is dropped").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
