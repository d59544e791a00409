package dev.grove.cli;

import dev.grove.cli.command.AttachCommand;
import dev.grove.cli.command.CleanupCommand;
import dev.grove.cli.command.CliApp;
import dev.grove.cli.command.DaemonCommand;
import dev.grove.cli.command.DeleteCommand;
import dev.grove.cli.command.ExitCodes;
import dev.grove.cli.command.GetCommand;
import dev.grove.cli.command.GraphCommand;
import dev.grove.cli.command.GroveCommand;
import dev.grove.cli.command.LogsCommand;
import dev.grove.cli.command.RenderCommand;
import dev.grove.cli.command.RunCommand;
import dev.grove.cli.command.RunsCommand;
import dev.grove.cli.command.SandboxCommand;
import dev.grove.cli.command.UpdateRemoteCommand;
import dev.grove.cli.command.ValidateCommand;
import dev.grove.cli.command.WorkflowCommand;
import dev.grove.cli.render.OutputMode;
import dev.grove.cli.render.Renderer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/** The {@code grove} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    var env = System.getenv();
    boolean terminal = System.console() != null;
    Renderer renderer = new Renderer(out, err, Renderer.wantsColour(terminal, env), terminal);
    CliApp app = CliApp.of(Path.of(System.getProperty("user.dir")), env, renderer);
    int code = run(args, app);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Parses and runs one command line; never throws, answers the exit code. */
  public static int run(String[] args, CliApp app) {
    Renderer renderer = app.renderer();
    CommandLine cli = new CommandLine(new GroveCommand());
    // Building a command's model costs picocli milliseconds of reflection; start-up time is a
    // budget, so only the command being run is registered (all of them for help and errors).
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("validate", () -> new ValidateCommand(app));
    commands.put("graph", () -> new GraphCommand(app));
    commands.put("build", () -> new RunCommand.Build(app));
    commands.put("deploy", () -> new RunCommand.Deploy(app));
    commands.put("test", () -> new RunCommand.Test(app));
    commands.put("run", () -> new RunCommand.RunActions(app));
    commands.put("status", () -> new RunCommand.Status(app));
    commands.put("publish", () -> new RunCommand.Publish(app));
    commands.put("get", () -> GetCommand.of(app));
    commands.put("dashboard", () -> new dev.grove.cli.command.DashboardCommand(app));
    commands.put("runs", () -> new RunsCommand(app));
    commands.put("attach", () -> new AttachCommand(app));
    commands.put("daemon", () -> new DaemonCommand(app));
    commands.put("cleanup", () -> CleanupCommand.of(app));
    commands.put("delete", () -> DeleteCommand.of(app));
    commands.put("sandbox", () -> SandboxCommand.of(app));
    commands.put("render", () -> new RenderCommand(app));
    commands.put("logs", () -> new LogsCommand(app));
    commands.put("update-remote", () -> new UpdateRemoteCommand(app));
    commands.put("workflow", () -> new WorkflowCommand(app));
    commands.put("run-command", () -> new WorkflowCommand.RunCustom(app, null));
    Supplier<Object> only = args.length > 0 ? commands.get(args[0]) : null;
    if (only == null && args.length > 0 && !args[0].startsWith("-") && !args[0].equals("help")) {
      // Garden's custom commands run as `garden NAME`: a name that is none of Grove's commands
      // is looked up among the project's Commands (and is an unknown command when it is not one).
      String[] custom = new String[args.length + 1];
      custom[0] = "run-command";
      System.arraycopy(args, 0, custom, 1, args.length);
      args = custom;
      List<String> builtins = List.copyOf(commands.keySet());
      only = () -> new WorkflowCommand.RunCustom(app, builtins);
    }
    if (only != null) {
      cli.addSubcommand(only.get());
    } else {
      commands.values().forEach(command -> cli.addSubcommand(command.get()));
    }
    cli.setUnmatchedOptionsArePositionalParams(true); // a custom command's own flags
    cli.setOut(renderer.outWriter());
    cli.setErr(renderer.errWriter());
    cli.setParameterExceptionHandler(
        (failure, arguments) -> {
          renderer.error(
              failure.getMessage(),
              "See '" + failure.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return ExitCodes.BAD_CONFIG_OR_ARGUMENTS;
        });
    cli.setExecutionExceptionHandler(
        (failure, commandLine, parseResult) -> app.fail(failure, OutputMode.TEXT));
    try {
      return cli.execute(args);
    } catch (RuntimeException e) {
      return app.fail(e, OutputMode.TEXT);
    }
  }
}
