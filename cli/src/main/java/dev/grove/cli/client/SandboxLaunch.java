package dev.grove.cli.client;

import dev.grove.api.process.SandboxLauncher;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * {@code grove sandbox}: runs the sandbox tool through {@link SandboxLauncher} and answers its JSON
 * document.
 */
public final class SandboxLaunch {

  /** How long the tool may take to exit once its output ended. */
  private static final Duration EXIT_TIMEOUT = Duration.ofMinutes(5);

  /** What the tool printed and how it exited. */
  public record Answer(int exitCode, Map<String, Object> document) {}

  private SandboxLaunch() {}

  public static Answer run(List<String> args, GroveHome home) {
    SandboxLauncher launcher =
        SandboxLauncher.fromSystem()
            .orElseThrow(
                () ->
                    new DaemonUnreachableException(
                        "This grove was started without the sandbox's classpath.",
                        "Run grove through the ./grove launcher (it builds the sandbox too)."));
    try {
      SandboxLauncher.Answer answer = launcher.run(args, home.dir(), Map.of(), EXIT_TIMEOUT);
      Object parsed = answer.lastLine().isEmpty() ? null : Json.parse(answer.lastLine());
      if (!(parsed instanceof Map<?, ?> map)) {
        throw new DaemonUnreachableException(
            "The sandbox tool exited with " + answer.exitCode() + " and printed no answer.",
            "Run `grove sandbox down` and try again.");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> document = (Map<String, Object>) map;
      return new Answer(answer.exitCode(), document);
    } catch (IOException e) {
      throw new DaemonUnreachableException(
          "Cannot start the sandbox tool: " + e.getMessage(),
          "Check that java runs and the launcher built the sandbox tool (e2e/sandbox-tool).");
    } catch (TimeoutException e) {
      throw new DaemonUnreachableException(
          "The sandbox tool did not exit within " + EXIT_TIMEOUT.toMinutes() + " minutes.",
          "Run `grove sandbox down` and try again.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DaemonUnreachableException("Interrupted.", "Run it again.");
    }
  }
}
