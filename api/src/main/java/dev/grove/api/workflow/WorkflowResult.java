package dev.grove.api.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.grove.api.error.ApiError;
import java.util.List;

/**
 * How a workflow (or custom command) run ended.
 *
 * @param kind {@code workflow} or {@code command}
 * @param result {@code succeeded}, {@code failed} or {@code cancelled}
 * @param exitCode the exit code the CLI ends with: 0, or 1 for a failed workflow (as Garden's); a
 *     custom command whose {@code exec} failed ends with that program's code, as Garden's
 * @param steps every step, in order
 */
public record WorkflowResult(
    String runId, String kind, String name, String result, int exitCode, List<StepResult> steps) {

  public WorkflowResult {
    steps = List.copyOf(steps);
  }

  /**
   * One step: {@code state} is {@code succeeded}, {@code failed}, {@code skipped} ({@code skip:
   * true}), {@code dropped} (not run: an earlier failure or its {@code when}) or {@code cancelled}.
   *
   * @param runId the Grove run a command step started ({@code <workflow run>.<step number>})
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StepResult(
      int index, String name, String state, Long durationMs, String runId, ApiError error) {}
}
