package dev.grove.cli.command;

import dev.grove.api.event.Event;
import dev.grove.api.event.EventPayload;
import dev.grove.api.run.RunRequest;
import dev.grove.api.watch.WatchRequest;
import dev.grove.cli.client.DaemonClient;
import dev.grove.cli.client.Json;
import dev.grove.cli.render.OutputMode;
import dev.grove.cli.render.RunView;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Shows a watch (its runs one after another, and what triggered them) until it stops. The watch
 * lives in the daemon: this is a view. With {@code stopOnInterrupt} (the grove that started it),
 * Ctrl-C stops the watch and cancels its run in progress; {@code grove attach} only detaches.
 */
final class WatchFollower {
  private WatchFollower() {}

  /**
   * Starts a watch under an id chosen here, with Ctrl-C stopping it from before the daemon answers
   * (a watch started during the first load is not left behind), and shows it.
   */
  static int start(CliApp app, RunRequest run, Long quietPeriodMs, OutputMode mode) {
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    String watchId = "watch-" + HexFormat.of().formatHex(random);
    DaemonClient client = app.daemon().call(c -> c);
    Thread early =
        new Thread(
            () -> {
              try {
                client.stopWatch(watchId);
              } catch (RuntimeException e) {
                // not started (yet): nothing to stop
              }
            },
            "grove-stop-watch-early");
    Runtime.getRuntime().addShutdownHook(early);
    try {
      client.startWatch(new WatchRequest(run, quietPeriodMs, null, watchId));
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(early);
      } catch (IllegalStateException e) {
        // already shutting down: the hook stops the watch
      }
    }
    return follow(app, watchId, mode, true);
  }

  @SuppressWarnings("try") // the hook only needs closing
  static int follow(CliApp app, String watchId, OutputMode mode, boolean stopOnInterrupt) {
    DaemonClient client = app.daemon().call(c -> c);
    View view = new View(app, mode, watchId);
    try (InterruptHook hook =
        new InterruptHook(
            "grove-stop-watch-on-interrupt", stopOnInterrupt, () -> client.stopWatch(watchId))) {
      client.events(watchId, 0, view::event);
      return ExitCodes.OK;
    }
  }

  /** Turns the watch's event stream into run views and lines. */
  static final class View {
    private final CliApp app;
    private final OutputMode mode;
    private final String watchId;
    private RunView run;

    View(CliApp app, OutputMode mode, String watchId) {
      this.app = app;
      this.mode = mode;
      this.watchId = watchId;
    }

    /** One event line; false once the watch stopped. */
    boolean event(String line) {
      if (!(Json.parse(line) instanceof Map<?, ?> parsed)) {
        return true;
      }
      String runId = String.valueOf(parsed.get("runId"));
      if (!runId.equals(watchId)) { // an event of one of the watch's runs
        if (run == null) {
          run = app.renderer().runView(mode);
        }
        if (!run.event(line)) {
          run.finish();
          run = null;
          if (mode == OutputMode.TEXT) {
            app.renderer().note("watching for changes (Ctrl-C stops)...");
          }
        }
        return true;
      }
      Event event = Json.event(parsed);
      EventPayload payload = event == null ? null : event.payload();
      if (mode.isJson()) {
        if (mode == OutputMode.JSONL) {
          app.renderer().result(line);
        }
        return !(payload instanceof EventPayload.WatchStopped);
      }
      if (payload instanceof EventPayload.FileChanged changed) {
        app.renderer().note("changed: " + paths(changed));
      } else if (payload instanceof EventPayload.WatchTriggered triggered) {
        app.renderer().note("→ " + triggered.runId() + ": " + list(triggered.actions()));
      } else if (payload instanceof EventPayload.WatchError error) {
        if (error.error() != null) {
          app.renderer().apiError(error.error(), mode);
        }
        app.renderer().note("watching goes on: the next good save runs.");
      } else if (payload instanceof EventPayload.WatchStopped) {
        app.renderer().note("watch stopped.");
        return false;
      }
      return true;
    }

    private static String paths(EventPayload.FileChanged changed) {
      String shown = list(changed.paths());
      if (changed.count() > changed.paths().size()) {
        shown += " (+" + (changed.count() - changed.paths().size()) + " more)";
      }
      return shown;
    }

    private static String list(List<String> items) {
      return String.join(", ", items);
    }
  }
}
