package dev.grove.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code grove runs}: the daemon's watches (in text), and the runs it keeps. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description =
        "List the daemon's watches and recent runs (running and finished); `grove attach ID`"
            + " follows one.")
public final class RunsCommand implements Callable<Integer> {
  private final CliApp app;

  @picocli.CommandLine.Mixin OutputOption output;

  public RunsCommand(CliApp app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    try {
      if (!output.output().isJson()) {
        app.renderer().watches(app.daemon().call(client -> client.watches()));
      }
      app.renderer().runs(app.daemon().call(client -> client.runs()), output.output());
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, output.output());
    }
  }
}
