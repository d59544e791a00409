package dev.grove.orchestrator.workflow;

import dev.grove.api.error.ApiError;
import java.util.Map;

/**
 * How one step ended.
 *
 * @param outputs what {@code ${steps.NAME.outputs.*}} gives later steps
 * @param log what {@code ${steps.NAME.log}} gives: the step's output lines
 * @param exitCode the program's exit code for script and exec steps; null for others
 * @param runId the Grove run a command step started, or null
 */
record StepOutcome(
    boolean succeeded,
    Map<String, Object> outputs,
    String log,
    ApiError error,
    Integer exitCode,
    String runId) {

  StepOutcome {
    outputs = outputs == null ? Map.of() : outputs;
    log = log == null ? "" : log;
  }

  static StepOutcome failed(ApiError error) {
    return new StepOutcome(false, Map.of(), "", error, null, null);
  }
}
