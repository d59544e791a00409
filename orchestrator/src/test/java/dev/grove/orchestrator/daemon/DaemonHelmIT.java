package dev.grove.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.helm.HelmOps.Bounds;
import dev.grove.actions.helm.HelmOps.ChartRef;
import dev.grove.actions.helm.HelmOps.Values;
import dev.grove.actions.helm.HelmProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: the daemon's Helm starts nothing until used, keeps its files in the home, ends with it.
 */
@Timeout(300)
class DaemonHelmIT {
  @TempDir Path home;
  @TempDir Path chart;

  @Test
  void helmsWorkerStartsOnTheFirstCallAndStopsWithTheDaemon() throws Exception {
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    Files.writeString(
        chart.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}}\n");
    Daemon daemon =
        Daemon.start(home, router -> new FakeProjectService(), "test-build", () -> {})
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    HelmProcess helm = daemon.helm();
    assertThat(helm.workerPid()).as("a daemon without Helm calls starts no worker").isEmpty();

    String manifests =
        helm.template(
            ChartRef.local(chart),
            "shop",
            "default",
            Values.NONE,
            List.of(),
            new Bounds(Duration.ofMinutes(3), null));
    long worker = helm.workerPid().orElseThrow();
    daemon.shutdown().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertThat(manifests).contains("name: shop");
    assertThat(home.resolve("helm/lib")).isDirectory(); // Helm's files live in the home
    ProcessHandle handle = ProcessHandle.of(worker).orElse(null);
    if (handle != null) {
      handle.onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false))
        .as("the worker ended with the daemon")
        .isFalse();
  }
}
