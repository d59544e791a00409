package dev.grove.orchestrator.solver;

import dev.grove.api.error.ApiError;
import dev.grove.api.run.ActionState;
import java.util.Map;

/**
 * How one action ended.
 *
 * @param detail Garden's detailed status ({@code ready}, {@code not-ready}, ...) when known
 * @param reusedFrom the run whose result this is, when another run was already running it
 */
record Outcome(
    ActionState state,
    Map<String, Object> outputs,
    ApiError error,
    String detail,
    String reusedFrom) {

  Outcome reused(String runId) {
    return new Outcome(state, outputs, error, detail, runId);
  }
}
