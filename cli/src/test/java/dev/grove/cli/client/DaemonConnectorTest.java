package dev.grove.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.http.DaemonInfo;
import dev.grove.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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

  private static DaemonLaunch launch(Class<?> main, String buildId) {
    return new DaemonLaunch(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto"),
        System.getProperty("java.class.path"),
        main.getName(),
        buildId);
  }
}
