package dev.grove.cli.render;

import dev.grove.api.event.Event;
import dev.grove.api.event.EventPayload;
import dev.grove.api.workflow.WorkflowResult;
import dev.grove.cli.client.Json;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Shows a workflow (or custom command) run as Garden shows one: a header per step, the step's
 * output as it comes, how it ended; a command step's Grove run as {@link RunView} shows runs.
 * {@code json}: the result document at the end; {@code jsonl}: every event as it came, the result
 * last.
 */
public final class WorkflowView {
  private static final String GREEN = "\u001b[32m";
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String BOLD = "\u001b[1m";
  private static final String RESET = "\u001b[0m";

  private final PrintStream out;
  private final OutputMode mode;
  private final boolean colour;
  private final Supplier<RunView> runViews;
  private String runId;
  private int stepCount;
  private RunView nested;
  private WorkflowResult result;
  private long startedAt;

  WorkflowView(PrintStream out, OutputMode mode, boolean colour, Supplier<RunView> runViews) {
    this.out = out;
    this.mode = mode;
    this.colour = colour;
    this.runViews = runViews;
  }

  /** Takes one event (a JSON line); false once the workflow finished. */
  public boolean event(String line) {
    if (mode == OutputMode.JSONL) {
      out.println(line);
    }
    if (!(Json.parse(line) instanceof Map<?, ?> parsed)) {
      return true;
    }
    Event event = Json.event(parsed);
    if (event == null) {
      return true;
    }
    if (runId == null && event.payload() instanceof EventPayload.WorkflowRunning) {
      runId = event.runId();
    }
    if (runId != null && !runId.equals(event.runId())) {
      nested(line);
      return true;
    }
    EventPayload payload = event.payload();
    if (payload instanceof EventPayload.WorkflowRunning running) {
      stepCount = running.steps().size();
      startedAt = event.time();
      text(bold("Running " + running.kind() + " " + running.name()));
    } else if (payload instanceof EventPayload.WorkflowStepProcessing step) {
      text(
          bold(
              "Running step "
                  + number(step.index())
                  + (step.description() == null ? "" : " — " + step.description())));
    } else if (payload instanceof EventPayload.WorkflowStepSkipped step) {
      text(paint(YELLOW, "Skipping step " + number(step.index())));
    } else if (payload instanceof EventPayload.Log log) {
      text(("stderr".equals(log.stream()) ? "  ! " : "  | ") + log.line());
    } else if (payload instanceof EventPayload.WorkflowStepComplete step) {
      endNested();
      text(
          "Step "
              + number(step.index())
              + " "
              + paint(GREEN, "completed")
              + " in "
              + seconds(step.durationMsec()));
    } else if (payload instanceof EventPayload.WorkflowStepError step) {
      endNested();
      text(
          "Step "
              + number(step.index())
              + " "
              + paint(RED, "failed")
              + " in "
              + seconds(step.durationMsec())
              + (step.error() == null ? "" : ": " + step.error().message()));
      if (step.error() != null && step.error().suggestion() != null) {
        text("  → " + step.error().suggestion());
      }
    } else if (payload instanceof EventPayload.WorkflowComplete done) {
      result = done.result();
      return false;
    } else if (payload instanceof EventPayload.WorkflowError failed) {
      result = failed.result();
      return false;
    } else if (payload instanceof EventPayload.Gap gap) {
      text("(missed " + gap.missed() + " events: the terminal was too slow)");
    }
    return true;
  }

  /** The result, once the workflow finished; null before. */
  public WorkflowResult result() {
    return result;
  }

  /** Prints the end: a summary line in text, the result document in json/jsonl. */
  public void finish() {
    if (result == null) {
      return;
    }
    if (mode.isJson()) {
      out.println(Json.write(resultDocument(result)));
      return;
    }
    boolean ok = result.result().equals("succeeded");
    long failed = result.steps().stream().filter(s -> s.state().equals("failed")).count();
    String kind = result.kind().equals("workflow") ? "Workflow" : "Command";
    out.println(
        (ok ? paint(GREEN, "✔") : paint(RED, "✖"))
            + " "
            + kind
            + " "
            + result.name()
            + (ok
                ? " completed successfully."
                : result.result().equals("cancelled")
                    ? " was cancelled."
                    : " failed: " + failed + " step" + (failed == 1 ? "" : "s") + " failed.")
            + " Total time elapsed: "
            + seconds(System.currentTimeMillis() - startedAt)
            + ".");
  }

  /** {@code {runId, kind, name, result, exitCode, steps: [{index, name, state, ...}]}}. */
  public static Map<String, Object> resultDocument(WorkflowResult result) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("runId", result.runId());
    document.put("kind", result.kind());
    document.put("name", result.name());
    document.put("result", result.result());
    document.put("exitCode", result.exitCode());
    document.put("steps", List.copyOf(result.steps()));
    return document;
  }

  private void nested(String line) {
    if (mode != OutputMode.TEXT) {
      return; // jsonl printed it above; json shows only the result
    }
    if (nested == null) {
      nested = runViews.get();
    }
    if (!nested.event(line)) {
      nested.finish();
      nested = null;
    }
  }

  private void endNested() {
    if (nested != null) {
      nested.finish();
      nested = null;
    }
  }

  private void text(String line) {
    if (mode == OutputMode.TEXT) {
      out.println(line);
    }
  }

  private String number(int index) {
    return (index + 1) + "/" + stepCount;
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  private String bold(String text) {
    return paint(BOLD, text);
  }

  private String paint(String code, String text) {
    return colour ? code + text + RESET : text;
  }
}
