package dev.grove.api.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Every event the daemon publishes: {@code seq} strictly increases per daemon, {@code time} is
 * epoch milliseconds, {@code action} is there for events about one action. {@code type} is the
 * payload's, written before it as the wire has it.
 */
public record Event(
    long seq,
    long time,
    String runId,
    String type,
    @JsonInclude(JsonInclude.Include.NON_NULL) ActionInfo action,
    EventPayload payload) {

  public Event {
    Objects.requireNonNull(payload, "payload");
    if (!payload.type().equals(type)) {
      throw new IllegalArgumentException(
          "an event of type " + type + " cannot carry a " + payload.type() + " payload");
    }
  }

  /** The event with its payload's type. */
  public Event(long seq, long time, String runId, ActionInfo action, EventPayload payload) {
    this(seq, time, runId, payload.type(), action, payload);
  }
}
