package dev.grove.cli.command;

import dev.grove.cli.render.OutputMode;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code grove delete deploy [names]}. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete what Grove deployed: 'grove delete deploy [NAME...]'.")
public final class DeleteCommand implements Callable<Integer> {
  private final CliApp app;

  public DeleteCommand(CliApp app) {
    this.app = app;
  }

  /** The command with its {@code deploy} subcommand. */
  public static CommandLine of(CliApp app) {
    return new CommandLine(new DeleteCommand(app)).addSubcommand(new RunCommand.DeleteDeploy(app));
  }

  @Override
  public Integer call() {
    return app.fail(
        new UsageException("Say what to delete.", "Run 'grove delete deploy [NAME...]'."),
        OutputMode.TEXT);
  }
}
