package dev.grove.api.watch;

import dev.grove.api.run.RunRequest;

/**
 * Starts a watch ({@code grove deploy --watch}): the run now, then again whenever a saved file
 * changes the version of a requested action or of anything it depends on.
 *
 * @param run the first run, and the shape of every later one
 * @param quietPeriodMs how long the files must stay quiet before a run starts (null: 200 ms)
 * @param maxDelayMs a constant trickle of changes still starts a run this long after its first
 *     change (null: 5 s)
 */
public record WatchRequest(RunRequest run, Long quietPeriodMs, Long maxDelayMs) {
  public static final long DEFAULT_QUIET_PERIOD_MS = 200;
  public static final long DEFAULT_MAX_DELAY_MS = 5_000;

  public long quietPeriod() {
    return quietPeriodMs == null ? DEFAULT_QUIET_PERIOD_MS : quietPeriodMs;
  }

  public long maxDelay() {
    return maxDelayMs == null ? DEFAULT_MAX_DELAY_MS : maxDelayMs;
  }
}
