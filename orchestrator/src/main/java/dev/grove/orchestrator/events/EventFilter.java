package dev.grove.orchestrator.events;

import dev.grove.api.event.Event;

/**
 * Which events a subscriber wants: those of one run and/or about one action; a {@code null} field
 * matches everything. A watch's id also matches its runs' ({@code watchId.N}).
 */
public record EventFilter(String runId, String actionRef) {
  public static final EventFilter ALL = new EventFilter(null, null);

  public boolean matches(Event event) {
    return (runId == null
            || runId.equals(event.runId())
            || (event.runId() != null && event.runId().startsWith(runId + ".")))
        && (actionRef == null
            || (event.action() != null && actionRef.equals(event.action().ref())));
  }
}
