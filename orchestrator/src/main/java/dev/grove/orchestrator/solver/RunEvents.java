package dev.grove.orchestrator.solver;

import dev.grove.api.event.ActionInfo;
import java.util.Map;

/** Where a run publishes its events (the daemon's event bus). Thread-safe. */
@FunctionalInterface
public interface RunEvents {
  void publish(String runId, String type, ActionInfo action, Map<String, Object> payload);
}
