package dev.grove.orchestrator.solver;

import dev.grove.api.event.ActionInfo;
import dev.grove.api.event.EventPayload;
import java.util.ArrayList;
import java.util.List;

/** Keeps every event a run publishes, for assertions. */
final class RecordingEvents implements RunEvents {
  /** One published event. */
  record Recorded(long nanos, String runId, ActionInfo action, EventPayload payload) {
    String ref() {
      return action == null ? null : action.ref();
    }

    String type() {
      return payload.type();
    }
  }

  private final List<Recorded> events = new ArrayList<>();

  @Override
  public synchronized void publish(String runId, ActionInfo action, EventPayload payload) {
    events.add(new Recorded(System.nanoTime(), runId, action, payload));
  }

  synchronized List<Recorded> all() {
    return List.copyOf(events);
  }

  /** The payloads of that type, of one action ({@code ref}) or all. */
  <T extends EventPayload> List<T> of(Class<T> type, String ref) {
    return all().stream()
        .filter(e -> type.isInstance(e.payload()) && (ref == null || ref.equals(e.ref())))
        .map(e -> type.cast(e.payload()))
        .toList();
  }

  /** The states an action went through, in order. */
  List<String> states(String ref) {
    return of(EventPayload.ActionStatus.class, ref).stream()
        .map(status -> status.state().wireName())
        .toList();
  }
}
