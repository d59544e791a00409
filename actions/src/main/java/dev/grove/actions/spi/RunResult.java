package dev.grove.actions.spi;

import java.time.Instant;

/**
 * The kept result of one run of a Test or Run ({@code grove get test-result}), by action version.
 *
 * @param version the action version that ran
 * @param exitCode the command's exit code (0: passed)
 * @param startedAt when it started
 * @param finishedAt when it ended
 * @param log the end of its output
 */
public record RunResult(
    String version, int exitCode, Instant startedAt, Instant finishedAt, String log) {
  public boolean passed() {
    return exitCode == 0;
  }
}
