package dev.grove.cli.render;

import dev.grove.api.error.ApiError;
import dev.grove.api.event.Event;
import dev.grove.api.event.EventPayload;
import dev.grove.api.run.ActionResult;
import dev.grove.api.run.ActionState;
import dev.grove.api.run.RunResult;
import dev.grove.cli.client.Json;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a run as its events arrive. In a terminal: one line per action (state, elapsed time, last
 * log line), redrawn in place, then a summary. Not in a terminal: one plain line per state change
 * and log line. {@code json}: only the result document at the end; {@code jsonl}: every event as it
 * came, the result document last.
 */
public final class RunView {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final String GREEN = "\u001b[32m";
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String DIM = "\u001b[2m";
  private static final String RESET = "\u001b[0m";

  private final PrintStream out;
  private final OutputMode mode;
  private final boolean live;
  private final boolean colour;
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private RunResult result;
  private long eventTime = System.currentTimeMillis();
  private int drawnLines;
  private long lastDraw;

  /** One action's line in the live view. */
  private static final class Row {
    final String ref;
    ActionState state = ActionState.PENDING;
    long startedNanos;
    long durationMs = -1;
    String lastLine = "";
    String reusedFrom;
    String detail; // why a checked action is not ready (outdated, missing, not-ready)

    Row(String ref) {
      this.ref = ref;
    }
  }

  /** The run's command, from its {@code runStarted} event; null before. */
  private String command;

  public RunView(PrintStream out, OutputMode mode, boolean terminal, boolean colour) {
    this.out = out;
    this.mode = mode;
    this.live = mode == OutputMode.TEXT && terminal;
    this.colour = colour;
  }

  /** Takes one event (a JSON line); false once the run has finished. */
  public boolean event(String line) {
    if (mode == OutputMode.JSONL) {
      out.println(line);
    }
    if (!(Json.parse(line) instanceof Map<?, ?> parsed)) {
      return true;
    }
    Event event = Json.event(parsed);
    EventPayload payload = event == null ? null : event.payload();
    if (event != null) {
      // lines show when the event happened: an attach replays history
      eventTime = event.time();
    }
    String ref = event == null || event.action() == null ? null : event.action().ref();
    if (payload instanceof EventPayload.RunStarted started) {
      command = started.command();
    } else if (payload instanceof EventPayload.GraphResolved graph) {
      for (EventPayload.GraphResolved.Action action : graph.actions()) {
        rows.putIfAbsent(action.ref(), new Row(action.ref()));
      }
    } else if (payload instanceof EventPayload.ActionStatus status) {
      status(ref, status);
    } else if (payload instanceof EventPayload.Log log) {
      log(ref, log);
    } else if (payload instanceof EventPayload.Gap gap) {
      plain("(missed " + gap.missed() + " events: the terminal was too slow)");
    } else if (payload instanceof EventPayload.RunFinished finished) {
      result = finished.runResult();
      if (live) {
        draw(true);
      }
      return false;
    }
    if (live && System.nanoTime() - lastDraw > REDRAW_NANOS) {
      draw(false);
    }
    return true;
  }

  /** The run's result, once {@code runFinished} arrived; null before. */
  public RunResult result() {
    return result;
  }

  /** Prints the end of the run: the summary in text, the result document in json/jsonl. */
  public void finish() {
    if (result == null) {
      return;
    }
    if (mode.isJson()) {
      out.println(Json.write(resultDocument(result)));
      return;
    }
    int succeeded = 0;
    int ready = 0;
    List<ActionResult> bad = new ArrayList<>();
    List<ActionResult> notReady = new ArrayList<>();
    for (ActionResult action : result.actions()) {
      switch (action.state()) {
        case SUCCEEDED -> succeeded++;
        case READY -> ready++;
        case PENDING -> notReady.add(action);
        default -> bad.add(action);
      }
    }
    String mark = result.result().equals(RunResult.SUCCEEDED) ? paint(GREEN, "✔") : paint(RED, "✖");
    StringBuilder counts = new StringBuilder();
    counts.append(succeeded).append(" succeeded, ").append(ready).append(" ready");
    if (!notReady.isEmpty()) {
      // a status run processes nothing: what it would process is not ready
      counts.append(", ").append(notReady.size()).append(" not ready");
    }
    long failed = bad.stream().filter(a -> a.state() == ActionState.FAILED).count();
    if (failed > 0) {
      counts.append(", ").append(failed).append(" failed");
    }
    long aborted = bad.stream().filter(a -> a.state() == ActionState.ABORTED).count();
    if (aborted > 0) {
      counts.append(", ").append(aborted).append(" aborted");
    }
    long cancelled = bad.stream().filter(a -> a.state() == ActionState.CANCELLED).count();
    if (cancelled > 0) {
      counts.append(", ").append(cancelled).append(" cancelled");
    }
    out.println(mark + " " + result.runId() + " " + result.result() + ": " + counts);
    if (result.actions().isEmpty() && ("test".equals(command) || "run".equals(command))) {
      // as Garden: "No Test actions were found"
      out.println(
          "  no "
              + (command.equals("test") ? "Test" : "Run")
              + " actions in the project: nothing to "
              + command);
    }
    for (ActionResult action : notReady) {
      Row row = rows.get(action.ref());
      String why = row == null || row.detail == null ? "not ready" : row.detail;
      out.println("  " + paint(YELLOW, action.ref() + " pending") + ": " + why);
    }
    for (ActionResult action : bad) {
      ApiError error = action.error();
      out.println(
          "  "
              + paint(RED, action.ref() + " " + action.state().wireName())
              + (error == null ? "" : ": " + error.message()));
      if (error != null && error.suggestion() != null && action.state() == ActionState.FAILED) {
        out.println("    → " + error.suggestion());
      }
    }
  }

  /** {@code {runId, result, actions: [{ref, state, version, durationMs, error?}]}}. */
  public static Map<String, Object> resultDocument(RunResult result) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("runId", result.runId());
    document.put("result", result.result());
    List<Object> actions = new ArrayList<>();
    for (ActionResult action : result.actions()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("ref", action.ref());
      entry.put("state", action.state().wireName());
      entry.put("version", action.version());
      entry.put("durationMs", action.durationMs());
      if (action.error() != null) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", action.error().code());
        error.put("message", action.error().message());
        error.put("suggestion", action.error().suggestion());
        entry.put("error", error);
      }
      actions.add(entry);
    }
    document.put("actions", actions);
    return document;
  }

  private void status(String ref, EventPayload.ActionStatus status) {
    Row row = rows.computeIfAbsent(ref, Row::new);
    ActionState state = status.state();
    if (state == ActionState.CHECKING || state == ActionState.PROCESSING && row.startedNanos == 0) {
      row.startedNanos = System.nanoTime();
    }
    row.state = state;
    String detail = status.detail();
    // "ready (ready)" says nothing; "processing (missing)", "pending (outdated)" do
    row.detail = detail == null || detail.equals(state.wireName()) ? null : detail;
    if (status.durationMs() != null) {
      row.durationMs = status.durationMs();
    }
    if (status.reusedFrom() != null) {
      row.reusedFrom = status.reusedFrom();
    }
    if (!live && mode == OutputMode.TEXT && (state != ActionState.PENDING || row.detail != null)) {
      StringBuilder line = new StringBuilder(ref).append(' ').append(state.wireName());
      if (row.detail != null) {
        line.append(" (").append(row.detail).append(')');
      }
      if (row.durationMs >= 0 && state.isFinal()) {
        line.append(" (").append(seconds(row.durationMs)).append(')');
      }
      if (row.reusedFrom != null && state.isFinal()) {
        line.append(" [from ").append(row.reusedFrom).append(']');
      }
      if (status.error() != null) {
        line.append(": ").append(status.error().message());
      }
      plain(line.toString());
    }
  }

  private void log(String ref, EventPayload.Log log) {
    Row row = rows.computeIfAbsent(ref, Row::new);
    String text = String.valueOf(log.line());
    row.lastLine = text;
    if (!live && mode == OutputMode.TEXT) {
      boolean stderr = "stderr".equals(log.stream());
      plain(ref + (stderr ? " ! " : " | ") + text);
    }
  }

  private void plain(String line) {
    if (mode == OutputMode.TEXT && !live) {
      LocalTime at =
          LocalTime.ofInstant(
              java.time.Instant.ofEpochMilli(eventTime), java.time.ZoneId.systemDefault());
      out.println(paint(DIM, at.format(CLOCK)) + " " + line);
    }
  }

  /** Redraws the action lines in place (cursor up over the previous drawing). */
  private void draw(boolean last) {
    lastDraw = System.nanoTime();
    StringBuilder frame = new StringBuilder();
    if (drawnLines > 0) {
      frame.append("\u001b[").append(drawnLines).append('A');
    }
    int width = 0;
    for (String ref : rows.keySet()) {
      width = Math.max(width, ref.length());
    }
    for (Row row : rows.values()) {
      frame.append("\u001b[2K");
      frame.append(symbol(row.state)).append(' ');
      frame.append(String.format(Locale.ROOT, "%-" + width + "s", row.ref)).append("  ");
      frame.append(String.format(Locale.ROOT, "%-10s", row.state.wireName()));
      long elapsed =
          row.durationMs >= 0
              ? row.durationMs
              : row.startedNanos == 0 ? -1 : (System.nanoTime() - row.startedNanos) / 1_000_000;
      frame.append(String.format(Locale.ROOT, "%8s", elapsed < 0 ? "" : seconds(elapsed)));
      if (!row.lastLine.isEmpty() && !(last && row.state.isFinal())) {
        String tail =
            row.lastLine.length() > 60 ? row.lastLine.substring(0, 60) + "…" : row.lastLine;
        frame.append("  ").append(paint(DIM, tail));
      }
      frame.append('\n');
    }
    drawnLines = rows.size();
    out.print(frame);
    out.flush();
  }

  private String symbol(ActionState state) {
    return switch (state) {
      case SUCCEEDED, READY -> paint(GREEN, "✔");
      case FAILED -> paint(RED, "✖");
      case ABORTED, CANCELLED -> paint(YELLOW, "⊘");
      case CHECKING, PROCESSING -> paint(YELLOW, "…");
      default -> " ";
    };
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private String paint(String code, String text) {
    return colour ? code + text + RESET : text;
  }
}
