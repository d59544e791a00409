package dev.grove.actions.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's side of Helm maps no native library: only the worker does. Checked in a fresh JVM
 * ({@link HelmProcessProbe}), since this one may have loaded it for LocalHelmTest.
 */
@Timeout(300)
class HelmProcessLoadsNothingHereTest {
  @TempDir Path home;

  @Test
  void onlyTheWorkerMapsHelmsLibrary() throws Exception {
    Process probe =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HelmProcessProbe.class.getName(),
                home.toString())
            .redirectErrorStream(true)
            .start();
    boolean ended = probe.waitFor(240, TimeUnit.SECONDS);
    if (!ended) {
      probe.destroyForcibly();
    }
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(ended).as(output).isTrue();
    assertThat(probe.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("before-call-worker=false")
        .contains("worker-maps-helm=true") // the check can see the library where it is
        .contains("here-maps-helm=false");
  }
}
