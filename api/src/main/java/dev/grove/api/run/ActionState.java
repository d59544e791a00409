package dev.grove.api.run;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an action is in a run; the wire form is lower case ({@code processing}). */
public enum ActionState {
  PENDING,
  CHECKING,
  READY,
  PROCESSING,
  SUCCEEDED,
  FAILED,
  ABORTED,
  CANCELLED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True once the action will not change state again in this run. */
  public boolean isFinal() {
    return this == READY
        || this == SUCCEEDED
        || this == FAILED
        || this == ABORTED
        || this == CANCELLED;
  }

  /** True for the final states that count as a success. */
  public boolean isSuccess() {
    return this == READY || this == SUCCEEDED;
  }

  public static ActionState parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
