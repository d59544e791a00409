package dev.grove.actions.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.helm.HelmOps.Bounds;
import dev.grove.actions.helm.HelmOps.Cluster;
import dev.grove.actions.helm.HelmOps.Values;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Helm in a worker process: answers, deadlines, cancellation and the worker's lifetime. */
@Timeout(300)
class HelmProcessTest {
  private static final Duration SHORT = Duration.ofSeconds(3);

  /** What killing the worker and failing the call may take beyond the deadline, on a busy box. */
  private static final Duration SLACK = Duration.ofSeconds(10);

  @TempDir static Path shared;
  private static HangingKubeApi hanging;
  private static Path home;
  private HelmProcess helm;

  @BeforeAll
  static void hangingApi() throws Exception {
    hanging = new HangingKubeApi(shared);
    home = shared.resolve("helm-home");
  }

  @AfterAll
  static void closeApi() throws IOException {
    hanging.close();
  }

  @AfterEach
  void close() {
    if (helm != null) {
      helm.close();
    }
  }

  @Test
  void rendersALocalChartInItsWorkerStartedOnTheFirstCall() throws Exception {
    helm = new HelmProcess(home);
    assertThat(helm.workerPid()).isEmpty(); // created, nothing started

    HelmFixtures.assertRenderedWithValues(HelmFixtures.render(helm));

    long pid = helm.workerPid().orElseThrow();
    HelmFixtures.assertRenderedWithValues(HelmFixtures.render(helm));
    assertThat(helm.workerPid()).hasValue(pid); // warm: the same worker
    assertThat(Files.readString(Path.of("/proc/" + pid + "/maps")))
        .as("the worker maps the library from Grove's cache, not a temp copy")
        .contains(home.resolve("lib").toString());
  }

  @Test
  void aCallPastItsDeadlineKillsTheWorkerAndTheNextCallStartsAnother() throws Exception {
    helm = new HelmProcess(home);
    HelmFixtures.render(helm);
    long pid = helm.workerPid().orElseThrow();
    // another call in the same worker, with a longer deadline: it goes down with the worker
    CompletableFuture<Object> bystander =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return helm.history(
                    "other", "team", hangingCluster(), new Bounds(Duration.ofMinutes(2), null));
              } catch (ActionException e) {
                return e;
              }
            });

    long started = System.nanoTime();
    assertThatThrownBy(
            () ->
                helm.upgradeInstall(
                    HelmFixtures.webChart(),
                    "shop",
                    "team",
                    Values.NONE,
                    "v-1",
                    false,
                    false,
                    Duration.ofMinutes(5),
                    hangingCluster(),
                    List.of(),
                    new Bounds(SHORT, null)))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.TIMEOUT);
              assertThat(e.getMessage())
                  .isEqualTo("helm upgrade of release shop did not finish within 3s");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(SHORT.plus(SLACK));
    assertGone(pid);
    assertThat(bystander.get(SLACK.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.HELM_UNAVAILABLE);
              assertThat(e.getMessage())
                  .startsWith(
                      "helm history of release other did not finish: Helm's worker was"
                          + " stopped because helm upgrade of release shop did not finish within 3s");
            });

    HelmFixtures.assertRenderedWithValues(HelmFixtures.render(helm));
    assertThat(helm.workerPid().orElseThrow()).isNotEqualTo(pid);
  }

  @Test
  void aCancelledCallKillsTheWorkerAndTheNextCallStartsAnother() throws Exception {
    helm = new HelmProcess(home);
    HelmFixtures.render(helm);
    long pid = helm.workerPid().orElseThrow();
    Cancellation cancellation = new Cancellation();
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    try {
      int before = hanging.requests();
      // cancel once Helm is stuck waiting for the API's answer
      later.scheduleAtFixedRate(
          () -> {
            if (hanging.requests() > before) {
              cancellation.cancel(Cancellation.Reason.CANCELLED);
            }
          },
          100,
          100,
          TimeUnit.MILLISECONDS);

      long started = System.nanoTime();
      assertThatThrownBy(
              () ->
                  helm.status(
                      "shop",
                      "team",
                      hangingCluster(),
                      new Bounds(Duration.ofMinutes(2), cancellation)))
          .isInstanceOfSatisfying(
              ActionException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ActionCodes.CANCELLED);
                assertThat(e.getMessage()).startsWith("helm status of release shop was cancelled");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    } finally {
      later.shutdownNow();
    }
    assertGone(pid);

    HelmFixtures.assertRenderedWithValues(HelmFixtures.render(helm));
    assertThat(helm.workerPid().orElseThrow()).isNotEqualTo(pid);
  }

  @Test
  void theWorkerEndsWhenItsParentsPipeClosesEvenWithHelmStuck() throws Exception {
    Process worker =
        new ProcessBuilder(HelmProcess.workerCommand(new HelmHome(home)))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      int before = hanging.requests();
      String request =
          HelmProtocol.request("status")
              .put("id", 1)
              .put("release", "shop")
              .put("namespace", "team")
              .put("kubeconfig", hanging.kubeconfig())
              .toString();
      OutputStream stdin = worker.getOutputStream();
      stdin.write((request + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (hanging.requests() == before && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(hanging.requests()).as("Helm reached the hanging API").isGreaterThan(before);

      stdin.close(); // what the daemon's death does

      assertThat(worker.waitFor(SLACK.toSeconds(), TimeUnit.SECONDS)).isTrue();
    } finally {
      worker.destroyForcibly();
    }
  }

  @Test
  void closeKillsTheWorkerAndLaterCallsFail() throws Exception {
    helm = new HelmProcess(home);
    HelmFixtures.render(helm);
    long pid = helm.workerPid().orElseThrow();

    helm.close();

    assertGone(pid);
    assertThatThrownBy(() -> HelmFixtures.render(helm))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> assertThat(e.code()).isEqualTo(ActionCodes.HELM_UNAVAILABLE));
  }

  @Test
  void anIdleWorkerIsStopped() throws Exception {
    helm = new HelmProcess(home, Duration.ofMillis(500));
    HelmFixtures.render(helm);
    long pid = helm.workerPid().orElseThrow();

    assertGone(pid);
    assertThat(helm.workerPid()).isEmpty();
  }

  @Test
  void goDurations() {
    assertThat(HelmProcess.goDuration(Duration.ofMinutes(5))).isEqualTo("5m0s");
    assertThat(HelmProcess.goDuration(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(HelmProcess.goDuration(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(HelmProcess.goDuration(Duration.ofHours(1))).isEqualTo("1h0m0s");
  }

  private static Cluster hangingCluster() {
    return new Cluster(hanging.kubeconfig());
  }

  private static void assertGone(long pid) throws Exception {
    ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
    if (handle != null) {
      handle.onExit().get(SLACK.toSeconds(), TimeUnit.SECONDS);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
  }
}
