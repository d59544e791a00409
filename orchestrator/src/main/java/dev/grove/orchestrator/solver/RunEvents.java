package dev.grove.orchestrator.solver;

import dev.grove.api.event.ActionInfo;
import dev.grove.api.event.EventPayload;

/** Where a run publishes its events (the daemon's event bus). Thread-safe. */
@FunctionalInterface
public interface RunEvents {
  void publish(String runId, ActionInfo action, EventPayload payload);
}
