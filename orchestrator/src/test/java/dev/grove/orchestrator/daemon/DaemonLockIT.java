package dev.grove.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.http.DaemonInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12.2 and 12.5: one GROVE_HOME never has two daemons. */
class DaemonLockIT {
  @TempDir Path home;
  private final CountDownLatch exited = new CountDownLatch(1);
  private Daemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon = start(home, exited);
  }

  @AfterEach
  void stop() throws Exception {
    daemon.shutdown().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void aSecondDaemonOnTheSameHomeRefusesToStartAndSaysWhoHoldsIt() throws Exception {
    DaemonInfo first = daemon.info();

    ExecutionException refused = null;
    try {
      start(home, new CountDownLatch(1)).shutdown();
    } catch (ExecutionException e) {
      refused = e;
    }

    assertThat(refused).as("the second daemon started").isNotNull();
    assertThat(refused.getCause())
        .isInstanceOf(DaemonAlreadyRunningException.class)
        .hasMessageContaining("pid " + first.pid())
        .hasMessageContaining(home.resolve("daemon.lock").toString());
    // the first one still serves, named by its daemon.json
    assertThat(new DaemonInfoFile(home).read()).contains(first);
    assertThat(exited.getCount()).isEqualTo(1);
  }

  @Test
  void stopsItselfWhenItsDaemonJsonIsDeleted() throws Exception {
    Files.delete(home.resolve("daemon.json"));

    assertThat(exited.await(10, TimeUnit.SECONDS)).as("the daemon stopped itself").isTrue();
  }

  @Test
  void stopsItselfWhenItsHomeIsDeleted() throws Exception {
    try (var files = Files.list(home)) {
      for (Path file : files.toList()) {
        if (Files.isRegularFile(file)) {
          Files.delete(file);
        }
      }
    }

    assertThat(exited.await(10, TimeUnit.SECONDS)).as("the daemon stopped itself").isTrue();
  }

  @Test
  void stopsItselfWhenDaemonJsonNamesAnotherDaemon() throws Exception {
    DaemonInfo mine = daemon.info();
    new DaemonInfoFile(home)
        .write(new DaemonInfo(mine.port() + 1, mine.pid() + 1, mine.token(), mine.buildId()));

    assertThat(exited.await(10, TimeUnit.SECONDS)).as("the daemon stopped itself").isTrue();
    // it leaves the other daemon's file alone
    assertThat(new DaemonInfoFile(home).read().orElseThrow().pid()).isEqualTo(mine.pid() + 1);
  }

  private static Daemon start(Path home, CountDownLatch exited) throws Exception {
    return Daemon.start(home, router -> new FakeProjectService(), "test-build", exited::countDown)
        .toCompletionStage()
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }
}
