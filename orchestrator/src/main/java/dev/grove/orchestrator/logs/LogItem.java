package dev.grove.orchestrator.logs;

import java.time.Instant;

/** What goes to one client of {@code grove logs}, before it becomes JSON. */
public sealed interface LogItem permits LogItem.Line, LogItem.Note, LogItem.Gap {

  /** A log line of one of the client's Deploys. */
  record Line(Instant time, String action, String pod, String container, String text)
      implements LogItem {}

  /** A pod picked up or gone, a Deploy without pods: for the user, not a log line. */
  record Note(Instant time, String action, String pod, String message) implements LogItem {}

  /** The client was too slow: {@code missed} items were dropped for it. */
  record Gap(long missed) implements LogItem {}

  /** When the item happened, for the time-ordered merge; null for a gap. */
  default Instant time() {
    return null;
  }
}
