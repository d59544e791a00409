package dev.grove.cli.command;

import dev.grove.cli.render.OutputMode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code grove runs}: the runs the daemon keeps. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List the daemon's recent runs (running and finished).")
public final class RunsCommand implements Callable<Integer> {
  private final CliApp app;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      converter = OutputMode.Converter.class,
      description = "text or json (default: text).")
  OutputMode output = OutputMode.TEXT;

  public RunsCommand(CliApp app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    try {
      app.renderer().runs(app.daemon().call(client -> client.runs()), output);
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, output);
    }
  }
}
