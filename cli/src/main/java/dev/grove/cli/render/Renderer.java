package dev.grove.cli.render;

import dev.grove.api.error.ApiError;
import dev.grove.api.error.Location;
import dev.grove.api.error.Problem;
import dev.grove.api.http.Health;
import dev.grove.api.project.ProjectSummary;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The only way the CLI prints: results on stdout, notes, warnings and errors on stderr. Colour only
 * on a terminal and without {@code NO_COLOR}.
 */
public final class Renderer {
  private static final String GREEN = "\u001b[32m";
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String RESET = "\u001b[0m";

  private final PrintStream out;
  private final PrintStream err;
  private final boolean colour;

  private final boolean terminal;

  public Renderer(PrintStream out, PrintStream err, boolean colour) {
    this(out, err, colour, false);
  }

  /**
   * @param terminal stdout is a terminal: runs are shown as a live view redrawn in place
   */
  public Renderer(PrintStream out, PrintStream err, boolean colour, boolean terminal) {
    this.out = out;
    this.err = err;
    this.colour = colour;
    this.terminal = terminal;
  }

  /** A view of one run in the given output mode. */
  public RunView runView(OutputMode mode) {
    return new RunView(out, mode, terminal, colour);
  }

  /** A view of one workflow or custom command run (and the Grove runs its steps start). */
  public WorkflowView workflowView(OutputMode mode) {
    return new WorkflowView(out, mode, colour, () -> runView(mode));
  }

  /** The view of a {@code grove logs} stream. */
  public LogView logView(OutputMode mode) {
    return new LogView(out, err, mode, colour);
  }

  /** {@code grove runs} in text: one line per watch, before the runs. */
  public void watches(java.util.List<dev.grove.api.watch.WatchInfo> watches) {
    for (dev.grove.api.watch.WatchInfo watch : watches) {
      out.println(
          watch.watchId()
              + "  "
              + watch.command()
              + " --watch "
              + watch.project()
              + "  "
              + watch.state()
              + "  "
              + watch.runIds().size()
              + (watch.runIds().size() == 1 ? " run" : " runs"));
    }
  }

  /** {@code grove runs}: one line per run. */
  public void runs(java.util.List<dev.grove.api.run.RunInfo> runs, OutputMode mode) {
    if (mode.isJson()) {
      out.println(dev.grove.cli.client.Json.write(runs));
      return;
    }
    if (runs.isEmpty()) {
      out.println("No runs yet.");
      return;
    }
    for (dev.grove.api.run.RunInfo run : runs) {
      String outcome = run.result() == null ? run.state() : run.result().result();
      out.println(
          run.runId()
              + "  "
              + run.command()
              + " "
              + run.project()
              + "  "
              + outcome
              + "  started "
              + java.time.Instant.ofEpochMilli(run.startedAt()));
    }
  }

  /** Colour when stdout is a terminal, {@code NO_COLOR} is unset or empty, and TERM is not dumb. */
  public static boolean wantsColour(boolean stdoutIsTerminal, Map<String, String> env) {
    String noColour = env.get("NO_COLOR");
    return stdoutIsTerminal
        && (noColour == null || noColour.isEmpty())
        && !"dumb".equals(env.get("TERM"));
  }

  public PrintWriter outWriter() {
    return new PrintWriter(out, true);
  }

  public PrintWriter errWriter() {
    return new PrintWriter(err, true);
  }

  public void validated(ProjectSummary summary, OutputMode mode) {
    warnings(summary.warnings());
    if (mode.isJson()) {
      out.println(Formats.summaryJson(summary));
      return;
    }
    int count = summary.actions().size();
    out.println(
        paint(GREEN, "✔")
            + " project "
            + summary.project()
            + (summary.environment() == null ? "" : " (env " + summary.environment() + ")")
            + ": "
            + count
            + (count == 1 ? " action" : " actions")
            + " OK");
  }

  public void graph(ProjectSummary summary, OutputMode mode, GraphFormat format) {
    warnings(summary.warnings());
    if (mode.isJson()) {
      out.println(Formats.summaryJson(summary));
      return;
    }
    out.print(
        switch (format) {
          case TEXT -> Formats.graphText(summary);
          case DOT -> Formats.dot(summary);
          case MERMAID -> Formats.mermaid(summary);
        });
    out.flush();
  }

  /** An error from the daemon or of the request: JSON on stdout, or text on stderr. */
  public void apiError(ApiError error, OutputMode mode) {
    if (mode.isJson()) {
      out.println(Formats.json(error));
      return;
    }
    warnings(error.warnings());
    if (error.problems().isEmpty()) {
      line(err, error.location(), error.message(), error.suggestion(), RED, "error");
      return;
    }
    for (Problem problem : error.problems()) {
      line(err, problem.location(), problem.message(), problem.suggestion(), RED, "error");
    }
    int count = error.problems().size();
    err.println(
        paint(RED, "✖")
            + " "
            + count
            + (count == 1 ? " problem" : " problems")
            + " in the project configuration");
  }

  /** A problem of the CLI itself (usage, daemon): always text on stderr. */
  public void error(String message, String suggestion) {
    err.println(paint(RED, "grove:") + " " + message);
    if (suggestion != null && !suggestion.isBlank()) {
      err.println("  → " + suggestion);
    }
  }

  /** A one-line note for the user, on stderr so stdout stays the result. */
  public void note(String message) {
    err.println(message);
  }

  /** A plain result line on stdout. */
  public void result(String line) {
    out.println(line);
  }

  /** {@code grove get test-result|run-result}: the result, then its log. */
  public void result(dev.grove.api.result.ActionResult result, OutputMode mode) {
    if (mode.isJson()) {
      out.println(dev.grove.cli.client.Json.write(result));
      return;
    }
    boolean passed = result.exitCode() == 0;
    out.println(
        result.action()
            + ": "
            + (passed
                ? paint(GREEN, "passed")
                : paint(RED, "failed (exit code " + result.exitCode() + ")"))
            + " at "
            + result.finishedAt()
            + ", version "
            + result.version()
            + (result.version().equals(result.currentVersion())
                ? " (the current one)"
                : " (outdated: the action is at " + result.currentVersion() + " now)"));
    if (!result.log().isBlank()) {
      out.println(result.log().stripTrailing());
    }
  }

  /**
   * Rendered Deploys: their YAML on stdout (or the files written), warnings and notes on stderr so
   * stdout stays valid YAML.
   */
  public void rendered(
      dev.grove.api.render.RenderResult result,
      OutputMode mode,
      java.util.List<java.nio.file.Path> written) {
    for (var deploy : result.deploys()) {
      for (var warning : deploy.warnings()) {
        err.println(
            deploy.action()
                + ": "
                + paint(YELLOW, "warning " + warning.code() + ":")
                + " "
                + warning.message());
        if (warning.suggestion() != null && !warning.suggestion().isBlank()) {
          err.println("  → " + warning.suggestion().replace("\n", "\n    "));
        }
      }
      if (deploy.note() != null) {
        err.println(deploy.action() + ": " + deploy.note());
      }
    }
    if (mode.isJson()) {
      out.println(dev.grove.cli.client.Json.write(result));
      return;
    }
    if (!written.isEmpty()) {
      for (java.nio.file.Path file : written) {
        out.println("wrote " + file);
      }
      return;
    }
    for (var deploy : result.deploys()) {
      if (deploy.note() == null) {
        out.print(deploy.yaml());
      }
    }
    out.flush();
  }

  /** What {@code cleanup images} will delete (a dry run) or deleted, per image. */
  public void cleanupImages(dev.grove.api.cleanup.CleanupImagesResult result, OutputMode mode) {
    if (mode.isJson()) {
      out.println(dev.grove.cli.client.Json.write(result));
      return;
    }
    int total = 0;
    for (var image : result.images()) {
      total += image.delete().size();
      out.println(
          image.image()
              + " ("
              + String.join(", ", image.builds())
              + "): "
              + (image.delete().isEmpty()
                  ? "nothing to delete"
                  : (result.dryRun() ? "delete " : "deleted ") + image.delete().size())
              + ", keep "
              + image.keep().size());
      for (String tag : image.delete()) {
        out.println("  " + paint(RED, result.dryRun() ? "- " : "✘ ") + tag);
      }
      for (String tag : image.keep()) {
        out.println("  " + paint(GREEN, "  ") + tag);
      }
      for (String note : image.notes()) {
        out.println("  " + paint(YELLOW, "note:") + " " + note);
      }
    }
    if (result.images().isEmpty()) {
      out.println("The project has no container Builds: no images to clean up.");
    } else if (!result.dryRun()) {
      out.println(paint(GREEN, "✔") + " deleted " + total + (total == 1 ? " tag" : " tags"));
    } else if (total == 0) {
      out.println("Nothing to delete.");
    }
  }

  public void daemonStatus(Health health, int port) {
    out.println(
        "grove daemon: running on 127.0.0.1:"
            + port
            + ", pid "
            + health.pid()
            + ", up "
            + uptime(Duration.ofMillis(health.uptimeMs()))
            + ", build "
            + health.buildId()
            + ", "
            + health.projects()
            + (health.projects() == 1 ? " project" : " projects")
            + " loaded");
  }

  private void warnings(List<Problem> warnings) {
    for (Problem warning : warnings) {
      line(err, warning.location(), warning.message(), warning.suggestion(), YELLOW, "warning");
    }
  }

  /** {@code file:line:column: message} then {@code → suggestion}. */
  private void line(
      PrintStream stream,
      Location location,
      String message,
      String suggestion,
      String colourCode,
      String label) {
    String where = location == null || location.file() == null ? "grove" : location.describe();
    String path =
        location == null || location.path() == null ? "" : " (at " + location.path() + ")";
    stream.println(where + ": " + paint(colourCode, label + ":") + " " + message + path);
    if (suggestion != null && !suggestion.isBlank()) {
      stream.println("  → " + suggestion);
    }
  }

  static String uptime(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m " + seconds % 60 + "s";
    }
    return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
  }

  private String paint(String code, String text) {
    return colour ? code + text + RESET : text;
  }
}
