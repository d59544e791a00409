package dev.grove.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code grove runs}: the runs the daemon keeps. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List the daemon's recent runs (running and finished).")
public final class RunsCommand implements Callable<Integer> {
  private final CliApp app;

  @picocli.CommandLine.Mixin OutputOption output;

  public RunsCommand(CliApp app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    try {
      app.renderer().runs(app.daemon().call(client -> client.runs()), output.output());
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, output.output());
    }
  }
}
