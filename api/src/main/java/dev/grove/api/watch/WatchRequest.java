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
 * @param watchId the id the client chose ({@code watch-} and 8 to 32 lower-case hex digits), so
 *     that a Ctrl-C even before the answer can stop the watch; null: the daemon picks one
 */
public record WatchRequest(RunRequest run, Long quietPeriodMs, Long maxDelayMs, String watchId) {
  public WatchRequest(RunRequest run, Long quietPeriodMs, Long maxDelayMs) {
    this(run, quietPeriodMs, maxDelayMs, null);
  }

  public static final long DEFAULT_QUIET_PERIOD_MS = 200;
  public static final long DEFAULT_MAX_DELAY_MS = 5_000;

  public long quietPeriod() {
    return quietPeriodMs == null ? DEFAULT_QUIET_PERIOD_MS : quietPeriodMs;
  }

  public long maxDelay() {
    return maxDelayMs == null ? DEFAULT_MAX_DELAY_MS : maxDelayMs;
  }
}
