package dev.grove.cli.command;

import dev.grove.api.error.ApiError;
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
      if (!(Json.parse(line) instanceof Map<?, ?> event)) {
        return true;
      }
      String runId = String.valueOf(event.get("runId"));
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
      String type = String.valueOf(event.get("type"));
      Map<?, ?> payload = event.get("payload") instanceof Map<?, ?> p ? p : Map.of();
      if (mode.isJson()) {
        if (mode == OutputMode.JSONL) {
          app.renderer().result(line);
        }
        return !type.equals("watchStopped");
      }
      switch (type) {
        case "fileChanged" -> app.renderer().note("changed: " + paths(payload));
        case "watchTriggered" ->
            app.renderer().note("→ " + payload.get("runId") + ": " + list(payload.get("actions")));
        case "watchError" -> {
          if (payload.get("error") instanceof Map<?, ?> error) {
            app.renderer().apiError(Json.read(Json.write(error), ApiError.class), mode);
          }
          app.renderer().note("watching goes on: the next good save runs.");
        }
        case "watchStopped" -> {
          app.renderer().note("watch stopped.");
          return false;
        }
        default -> {}
      }
      return true;
    }

    private static String paths(Map<?, ?> payload) {
      String shown = list(payload.get("paths"));
      Object count = payload.get("count");
      int listed = payload.get("paths") instanceof List<?> l ? l.size() : 0;
      if (count instanceof Number n && n.intValue() > listed) {
        shown += " (+" + (n.intValue() - listed) + " more)";
      }
      return shown;
    }

    private static String list(Object value) {
      if (value instanceof List<?> items) {
        return String.join(", ", items.stream().map(String::valueOf).toList());
      }
      return String.valueOf(value);
    }
  }
}
