package dev.grove.cli.command;

import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code grove validate}: load the project and check it completely. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Load the project and check its configuration.")
public final class ValidateCommand implements Callable<Integer> {
  private final CliApp app;

  @Mixin ProjectOptions options;

  public ValidateCommand(CliApp app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    try {
      ProjectRequest request = options.request(app);
      ProjectSummary summary = app.daemon().call(client -> client.validate(request));
      app.renderer().validated(summary, options.output());
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, options.output());
    }
  }
}
