package dev.grove.cli.render;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code grove logs} output. Text: one line per log line, {@code <action> <pod> <container> |
 * <line>}, the prefix coloured per pod (when colour is on); jsonl: {@code {"time", "action", "pod",
 * "container", "line"}} per line. Notes and gaps go to stderr in both modes, so stdout holds log
 * lines only.
 */
public final class LogView {
  /** Pod colours, in the order pods first show up: cyan, magenta, green, yellow, blue, bright. */
  static final String[] PALETTE = {
    "\u001b[36m",
    "\u001b[35m",
    "\u001b[32m",
    "\u001b[33m",
    "\u001b[34m",
    "\u001b[96m",
    "\u001b[95m",
    "\u001b[92m",
    "\u001b[93m",
    "\u001b[94m"
  };

  private static final String RESET = "\u001b[0m";

  private final PrintStream out;
  private final PrintStream err;
  private final OutputMode mode;
  private final boolean colour;
  private final Map<String, String> podColours = new HashMap<>();
  private long lines;

  LogView(PrintStream out, PrintStream err, OutputMode mode, boolean colour) {
    this.out = out;
    this.err = err;
    this.mode = mode;
    this.colour = colour;
  }

  /** One log line. */
  public void line(String time, String action, String pod, String container, String text) {
    lines++;
    if (mode == OutputMode.TEXT) {
      String prefix = action + " " + pod + " " + container + " |";
      if (colour) {
        String paint =
            podColours.computeIfAbsent(pod, p -> PALETTE[podColours.size() % PALETTE.length]);
        prefix = paint + prefix + RESET;
      }
      out.println(prefix + " " + text);
      return;
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("time", time);
    json.put("action", action);
    json.put("pod", pod);
    json.put("container", container);
    json.put("line", text);
    out.println(dev.grove.cli.client.Json.write(json));
  }

  /** This client was too slow and missed lines (others did not). */
  public void gap(long missed) {
    err.println(
        "grove: "
            + missed
            + (missed == 1 ? " log line was" : " log lines were")
            + " dropped here: this terminal or pipe read too slowly");
  }

  /** A pod picked up or gone, a Deploy without pods. */
  public void note(String message) {
    err.println(message);
  }

  /** Stdout went away (e.g. {@code grove logs -f | head}): nothing more can be shown. */
  public boolean outputClosed() {
    return out.checkError();
  }

  /** Log lines printed so far. */
  public long lines() {
    return lines;
  }

  public void flush() {
    out.flush();
  }
}
