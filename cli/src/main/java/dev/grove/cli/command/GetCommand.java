package dev.grove.cli.command;

import dev.grove.api.project.ProjectRequest;
import dev.grove.api.result.ActionResult;
import dev.grove.api.result.ResultRequest;
import dev.grove.cli.render.OutputMode;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code grove get test-result|run-result NAME}: Garden's {@code garden get test-result}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description =
        "Show what Grove kept: 'grove get test-result NAME', 'grove get run-result NAME'.")
public final class GetCommand implements Callable<Integer> {
  private final CliApp app;

  public GetCommand(CliApp app) {
    this.app = app;
  }

  /** The command with its subcommands. */
  public static CommandLine of(CliApp app) {
    return new CommandLine(new GetCommand(app))
        .addSubcommand("test-result", new Result(app, "test"))
        .addSubcommand("run-result", new Result(app, "run"));
  }

  @Override
  public Integer call() {
    return app.fail(
        new UsageException(
            "Say what to get.", "Run 'grove get test-result NAME' or 'grove get run-result NAME'."),
        OutputMode.TEXT);
  }

  /** {@code grove get test-result NAME} and {@code grove get run-result NAME}. */
  @Command(
      mixinStandardHelpOptions = true,
      description =
          "The last result of the named Test or Run: passed or failed, when, at which version"
              + " (and whether that is the current one), and the end of its log.")
  static final class Result implements Callable<Integer> {
    private final CliApp app;
    private final String kind;

    @Mixin ProjectOptions options;

    @Parameters(index = "0", paramLabel = "NAME", description = "The action's name.")
    String name;

    Result(CliApp app, String kind) {
      this.app = app;
      this.kind = kind;
    }

    @Override
    public Integer call() {
      try {
        ProjectRequest request = options.request(app);
        ActionResult result =
            app.daemon().call(client -> client.result(new ResultRequest(request, kind, name)));
        app.renderer().result(result, options.output());
        return ExitCodes.OK;
      } catch (RuntimeException e) {
        return app.fail(e, options.output());
      }
    }
  }
}
