package dev.grove.api.run;

import java.util.List;

/**
 * A run's outcome, as {@code --output json} prints it: {@code result} is {@code succeeded} (every
 * action succeeded or was ready), {@code failed} or {@code cancelled}.
 */
public record RunResult(String runId, String result, List<ActionResult> actions) {
  public RunResult {
    actions = List.copyOf(actions);
  }

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";
}
