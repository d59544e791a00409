package dev.grove.orchestrator.solver;

import dev.grove.api.event.ActionInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Keeps every event a run publishes, for assertions. */
final class RecordingEvents implements RunEvents {
  /** One published event. */
  record Recorded(
      long nanos, String runId, String type, ActionInfo action, Map<String, Object> payload) {
    String ref() {
      return action == null ? null : action.ref();
    }

    Object get(String key) {
      return payload.get(key);
    }
  }

  private final List<Recorded> events = new ArrayList<>();

  @Override
  public synchronized void publish(
      String runId, String type, ActionInfo action, Map<String, Object> payload) {
    events.add(new Recorded(System.nanoTime(), runId, type, action, payload));
  }

  synchronized List<Recorded> all() {
    return List.copyOf(events);
  }

  List<Recorded> of(String type, String ref) {
    return all().stream()
        .filter(e -> e.type().equals(type) && (ref == null || ref.equals(e.ref())))
        .toList();
  }

  /** The states an action went through, in order. */
  List<Object> states(String ref) {
    return of("actionStatus", ref).stream().map(e -> e.get("state")).toList();
  }
}
