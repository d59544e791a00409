package dev.grove.api.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Every event the daemon publishes: {@code seq} strictly increases per daemon, {@code time} is
 * epoch milliseconds, {@code action} is there for events about one action.
 */
public record Event(
    long seq,
    long time,
    String runId,
    String type,
    @JsonInclude(JsonInclude.Include.NON_NULL) ActionInfo action,
    Map<String, Object> payload) {

  public Event {
    payload = payload == null ? Map.of() : payload;
  }
}
