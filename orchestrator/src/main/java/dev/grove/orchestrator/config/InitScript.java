package dev.grove.orchestrator.config;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs the exec provider's {@code initScript} as Garden does: with a shell, in the project root,
 * with the invoking shell's environment; its stdout (trimmed) is the provider's {@code
 * initScript.log} output. Bounded by {@link #TIMEOUT}: a load never hangs on it.
 */
final class InitScript {
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  /** How much of the script's output an error quotes. */
  private static final int SHOWN_CHARS = 4_000;

  private final Path root;
  private final Map<String, String> env;
  private final Duration timeout;
  private final ProcessRunner runner;

  InitScript(Path root, Map<String, String> env, Duration timeout, ProcessRunner runner) {
    this.root = root;
    this.env = env;
    this.timeout = timeout;
    this.runner = runner;
  }

  /**
   * What a run gave.
   *
   * @param log its stdout, trimmed
   * @param failure why it failed ("exited with code 3."), or null when it succeeded
   * @param output what it printed (stdout and stderr), for the error
   */
  record Outcome(String log, String failure, String output) {
    /** The output as an error quotes it: after a colon, or nothing when there was none. */
    String shown() {
      String text = output.strip();
      if (text.isEmpty()) {
        return "";
      }
      if (text.length() > SHOWN_CHARS) {
        text = "..." + text.substring(text.length() - SHOWN_CHARS);
      }
      return " Its output:\n" + text;
    }
  }

  Outcome run(String script) {
    try {
      ProcessRunner.Result result =
          runner.run(
              "exec provider initScript",
              List.of("/bin/sh", "-c", script),
              root,
              env,
              (stream, line) -> {},
              new Cancellation(),
              timeout);
      return new Outcome(
          result.stdout().strip(),
          result.succeeded() ? null : "exited with code " + result.exitCode() + ".",
          result.log());
    } catch (ActionException e) {
      return new Outcome("", "did not complete: " + e.getMessage(), "");
    }
  }
}
