package dev.grove.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.http.DaemonInfo;
import dev.grove.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Auto-start, reuse, stale replacement and stop, with small daemon processes from the tests. */
class DaemonConnectorTest {
  @TempDir Path tmp;

  @AfterEach
  void killLeftovers() {
    new GroveHome(tmp.resolve("home"))
        .readInfo()
        .flatMap(info -> ProcessHandle.of(info.pid()))
        .filter(process -> process.pid() != ProcessHandle.current().pid())
        .ifPresent(ProcessHandle::destroyForcibly);
    daemonsOf(tmp.resolve("home"))
        .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void startsADaemonOnFirstUseReusesItAndStopsIt() throws Exception {
    Path home = tmp.resolve("home");
    DaemonLaunch launch = launch(FakeDaemonMain.class, "b1");

    CliRun start = CliRun.run(tmp, home, launch, "daemon", "start");
    assertThat(start.exitCode).as(start.err).isEqualTo(0);
    assertThat(start.err).contains("grove: starting the daemon (first use)...");
    long pid = new GroveHome(home).readInfo().orElseThrow().pid();
    assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());

    CliRun again = CliRun.run(tmp, home, launch, "daemon", "start");
    assertThat(again.err).doesNotContain("starting");
    assertThat(again.out).contains("pid " + pid);

    CliRun stop = CliRun.run(tmp, home, launch, "daemon", "stop");
    assertThat(stop.exitCode).isEqualTo(0);
    assertThat(stop.out).contains("stopped");
    // Exited; possibly not reaped yet by its parent, which is what stop waits for.
    assertThat(DaemonConnector.running(pid)).isFalse();
    assertThat(home.resolve("daemon.log")).content().contains("fake daemon on port");
  }

  @Test
  void aDaemonsCrashReportGoesToGroveHomeNotTheUsersFolder() {
    Path home = tmp.resolve("home");
    assertThat(launch(Object.class, "b1").command(home))
        .contains("-XX:ErrorFile=" + home.resolve("daemon-crash-%p.log"));
  }

  @Test
  void replacesADaemonThatRunsOtherCode() {
    Path home = tmp.resolve("home");
    CliRun.run(tmp, home, launch(FakeDaemonMain.class, "old"), "daemon", "start");
    long oldPid = new GroveHome(home).readInfo().orElseThrow().pid();

    CliRun run = CliRun.run(tmp, home, launch(FakeDaemonMain.class, "new"), "daemon", "start");

    assertThat(run.exitCode).as(run.err).isEqualTo(0);
    assertThat(run.err).contains("restarting the daemon");
    DaemonInfo info = new GroveHome(home).readInfo().orElseThrow();
    assertThat(info.pid()).isNotEqualTo(oldPid);
    assertThat(info.buildId()).isEqualTo("new");
    assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive))
        .isIn(Optional.empty(), Optional.of(false));
    CliRun.run(tmp, home, launch(FakeDaemonMain.class, "new"), "daemon", "stop");
  }

  @Test
  void exits3NamingTheLogWhenTheDaemonCannotStart() throws Exception {
    Path home = tmp.resolve("home");
    long started = System.nanoTime();

    CliRun run = CliRun.run(tmp, home, launch(CrashingDaemonMain.class, "b1"), "daemon", "start");

    assertThat(run.exitCode).isEqualTo(3);
    assertThat(run.err)
        .contains("exited while starting")
        .contains(home.resolve("daemon.log").toString());
    assertThat(Files.readString(home.resolve("daemon.log")))
        .contains("crashing-daemon: cannot start");
    assertThat(System.nanoTime() - started).isLessThan(10_000_000_000L);
  }

  @Test
  void saysTheDaemonIsBusyAndStartsNoSecondOneWhenItDoesNotAnswer() throws Exception {
    Path home = tmp.resolve("home");
    DaemonLaunch launch = launch(FakeDaemonMain.class, "b1");
    Process silent = startDirectly(launch(SilentDaemonMain.class, "b1"), home);
    try {
      CliRun status = CliRun.run(tmp, home, launch, "daemon", "status");
      assertThat(status.exitCode).as(status.err).isEqualTo(3);
      assertThat(status.out + status.err)
          .contains("busy")
          .contains("pid " + silent.pid())
          .doesNotContain("not running");

      CliRun start = CliRun.run(tmp, home, launch, "daemon", "start");
      assertThat(start.exitCode).as(start.err).isEqualTo(3);
      assertThat(start.err).contains("busy").contains("pid " + silent.pid());
      assertThat(start.err).doesNotContain("starting the daemon");
      assertThat(new GroveHome(home).readInfo().orElseThrow().pid()).isEqualTo(silent.pid());
      assertThat(daemonsOf(home)).containsExactly(silent.pid());
    } finally {
      silent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void stopSignalsADaemonThatDoesNotAnswerAndSaysSo() throws Exception {
    Path home = tmp.resolve("home");
    Process silent = startDirectly(launch(SilentDaemonMain.class, "b1"), home);
    try {
      CliRun stop = CliRun.run(tmp, home, launch(FakeDaemonMain.class, "b1"), "daemon", "stop");

      assertThat(stop.exitCode).as(stop.err).isEqualTo(0);
      assertThat(stop.out).contains("stopped").contains("pid " + silent.pid()).contains("SIGTERM");
      assertThat(silent.waitFor(5, TimeUnit.SECONDS)).as("the silent daemon ended").isTrue();
      assertThat(home.resolve("daemon.json")).doesNotExist();
    } finally {
      silent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void stopLeavesAProcessThatIsNotAGroveDaemonAlone() throws Exception {
    Path home = tmp.resolve("home");
    Files.createDirectories(home);
    Process stranger = new ProcessBuilder("sleep", "60").start();
    try {
      Files.writeString(
          home.resolve("daemon.json"),
          Json.write(new DaemonInfo(1, stranger.pid(), "0".repeat(64), "b1")));

      CliRun stop = CliRun.run(tmp, home, launch(FakeDaemonMain.class, "b1"), "daemon", "stop");

      assertThat(stop.exitCode).as(stop.err).isEqualTo(0);
      assertThat(stop.out).contains("not running");
      assertThat(stranger.isAlive()).as("the stranger survives").isTrue();
    } finally {
      stranger.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void findsAndStopsTheDaemonOfADeletedHomeInsteadOfStartingASecondBesideIt() throws Exception {
    Path home = tmp.resolve("home");
    DaemonLaunch launch = launch(FakeDaemonMain.class, "b1");
    CliRun first = CliRun.run(tmp, home, launch, "daemon", "start");
    assertThat(first.exitCode).as(first.err).isEqualTo(0);
    long oldPid = new GroveHome(home).readInfo().orElseThrow().pid();
    deleteRecursively(home);

    CliRun again = CliRun.run(tmp, home, launch, "daemon", "start");

    assertThat(again.exitCode).as(again.err).isEqualTo(0);
    assertThat(again.err).contains("pid " + oldPid);
    assertThat(DaemonConnector.running(oldPid)).as("the old daemon still runs").isFalse();
    long newPid = new GroveHome(home).readInfo().orElseThrow().pid();
    assertThat(daemonsOf(home)).containsExactly(newPid);
    CliRun.run(tmp, home, launch, "daemon", "stop");
  }

  @Test
  void aFullDiskIsNamedWhenTheDaemonCannotStart() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    // every write to /dev/full fails with ENOSPC, as on a full disk
    Files.createSymbolicLink(home.resolve("daemon.log"), Path.of("/dev/full"));

    CliRun run = CliRun.run(tmp, home, launch(CrashingDaemonMain.class, "b1"), "daemon", "start");

    assertThat(run.exitCode).isEqualTo(3);
    assertThat(run.err)
        .contains("No space left on device")
        .contains(home.resolve("daemon.log").toString());
  }

  /** Starts a daemon process as grove would, without waiting for it to answer. */
  private static Process startDirectly(DaemonLaunch launch, Path home) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(launch.command(home))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put(GroveHome.ENV, home.toString());
    Process process = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (new GroveHome(home).readInfo().isEmpty()) {
      assertThat(System.nanoTime()).as("daemon.json written").isLessThan(deadline);
      assertThat(process.isAlive()).as("the daemon process runs").isTrue();
      Thread.sleep(50);
    }
    return process;
  }

  /** The pids of the live processes whose command line marks them as daemons of {@code home}. */
  private static List<Long> daemonsOf(Path home) {
    String mark = "-Dgrove.home=" + home.toAbsolutePath().normalize();
    return ProcessHandle.allProcesses()
        .filter(p -> DaemonConnector.running(p.pid()))
        .filter(p -> dev.grove.api.process.CommandLines.of(p.pid()).contains(mark))
        .map(ProcessHandle::pid)
        .toList();
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static DaemonLaunch launch(Class<?> main, String buildId) {
    return new DaemonLaunch(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        // as long a command line as a real daemon's (~8 KiB of class path), which the JDK's
        // ProcessHandle.Info cannot read
        List.of(
            "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Dgrove.test.padding=" + "x".repeat(9_000)),
        System.getProperty("java.class.path"),
        main.getName(),
        buildId);
  }
}
