package dev.grove.cli.command;

import dev.grove.api.run.RunInfo;
import dev.grove.api.run.RunResult;
import dev.grove.cli.client.DaemonClient;
import dev.grove.cli.render.OutputMode;
import dev.grove.cli.render.RunView;

/**
 * Follows a run's events until it finishes and answers the exit code. The run lives in the daemon:
 * a follower that goes away leaves it running. With {@code cancelOnInterrupt}, Ctrl-C cancels the
 * run and shows how it ended.
 */
final class RunFollower {
  private RunFollower() {}

  @SuppressWarnings("try") // the hook only needs closing
  static int follow(CliApp app, String runId, OutputMode mode, boolean cancelOnInterrupt) {
    DaemonClient client = app.daemon().call(c -> c);
    RunView view = app.renderer().runView(mode);
    try (InterruptHook hook =
        new InterruptHook(
            "grove-cancel-on-interrupt", cancelOnInterrupt, () -> client.cancelRun(runId))) {
      client.events(runId, 0, view::event);
      RunResult result = view.result();
      if (result == null) {
        // The stream ended without runFinished (the run was older than the replay buffer).
        RunInfo info = client.run(runId);
        result = info.result();
        if (result == null) {
          app.renderer()
              .error(
                  "the event stream of " + runId + " ended before the run finished",
                  "Follow it again with 'grove attach " + runId + "'.");
          return ExitCodes.FAILED;
        }
      }
      view.finish();
      return result.result().equals(RunResult.SUCCEEDED) ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }
}
