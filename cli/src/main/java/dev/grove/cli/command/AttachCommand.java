package dev.grove.cli.command;

import dev.grove.cli.render.OutputMode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code grove attach RUN}: follow a run that another grove started. */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    description = "Follow a run from its start (it may have been started by another grove).")
public final class AttachCommand implements Callable<Integer> {
  private final CliApp app;

  @Parameters(
      paramLabel = "RUN",
      description = "The run id ('grove runs' lists them), or a watch's id (watch-...).")
  String runId;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      converter = OutputMode.Converter.class,
      description = "text, json or jsonl (default: text).")
  OutputMode output = OutputMode.TEXT;

  public AttachCommand(CliApp app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    try {
      if (runId.startsWith("watch-")) {
        app.daemon().call(client -> client.watch(runId));
        return WatchFollower.follow(app, runId, output, false); // Ctrl-C only detaches
      }
      app.daemon().call(client -> client.run(runId));
      // Ctrl-C only detaches: the run belongs to whoever started it.
      return RunFollower.follow(app, runId, output, false);
    } catch (RuntimeException e) {
      return app.fail(e, output);
    }
  }
}
