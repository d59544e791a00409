package dev.grove.sandbox.tool;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * Helm calls for tests, each with its own deadline: Helm's Go code cannot be interrupted, so a call
 * that hangs fails its test (its thread is abandoned) instead of holding the build; the fork's own
 * timeout (failsafe's {@code forkedProcessTimeoutInSeconds}) ends what is left. The first call
 * loads Helm's native library (98 MB, 1-5 s).
 */
final class HelmCalls {

  static final Duration DEADLINE = Duration.ofSeconds(60);

  private HelmCalls() {}

  /** {@code call}'s result, or the test fails after {@link #DEADLINE}. */
  static <T> T bounded(String what, ThrowingSupplier<T> call) {
    return assertTimeoutPreemptively(
        DEADLINE,
        call,
        () -> "helm " + what + " did not answer within " + DEADLINE.toSeconds() + " s");
  }

  /** A chart of the test resources ({@code src/test/resources/charts/NAME}). */
  static Path chart(String name) throws URISyntaxException {
    URL url = HelmCalls.class.getResource("/charts/" + name + "/Chart.yaml");
    return Path.of(Objects.requireNonNull(url, "no chart " + name).toURI()).getParent();
  }
}
