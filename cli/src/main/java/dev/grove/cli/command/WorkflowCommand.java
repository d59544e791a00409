package dev.grove.cli.command;

import dev.grove.api.run.RunInfo;
import dev.grove.api.workflow.CommandRequest;
import dev.grove.api.workflow.WorkflowRequest;
import dev.grove.api.workflow.WorkflowResult;
import dev.grove.cli.client.DaemonClient;
import dev.grove.cli.render.OutputMode;
import dev.grove.cli.render.WorkflowView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code grove workflow NAME}: runs a Workflow in the daemon and shows its steps live. */
@Command(
    name = "workflow",
    mixinStandardHelpOptions = true,
    description =
        "Run the project's Workflow NAME (kind: Workflow): its steps one after another, as"
            + " Garden's `garden workflow` does. Exit code 0 when it succeeded, 1 when a step"
            + " failed.")
public final class WorkflowCommand implements Callable<Integer> {
  private final CliApp app;

  @Mixin ProjectOptions options;

  @Parameters(paramLabel = "NAME", description = "The workflow's name.")
  String name;

  public WorkflowCommand(CliApp app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    try {
      WorkflowRequest request = new WorkflowRequest(options.request(app), name);
      return follow(app, client -> client.startWorkflow(request), options.output());
    } catch (RuntimeException e) {
      return app.fail(e, options.output());
    }
  }

  /**
   * Starts a workflow or custom command run and follows it; Ctrl-C cancels it. The exit code is the
   * run's ({@link WorkflowResult#exitCode()}).
   */
  @SuppressWarnings("try") // the hook only needs closing
  static int follow(CliApp app, Function<DaemonClient, RunInfo> start, OutputMode mode) {
    RunInfo started = app.daemon().call(start::apply);
    DaemonClient client = app.daemon().call(c -> c);
    WorkflowView view = app.renderer().workflowView(mode);
    try (InterruptHook hook =
        new InterruptHook(
            "grove-cancel-workflow", true, () -> client.cancelWorkflow(started.runId()))) {
      client.events(started.runId(), 0, view::event);
    }
    WorkflowResult result = view.result();
    if (result == null) {
      app.renderer()
          .error(
              "the event stream of " + started.runId() + " ended before it finished",
              "The daemon may have stopped; run it again.");
      return ExitCodes.FAILED;
    }
    view.finish();
    return result.exitCode();
  }

  /**
   * {@code grove run-command NAME [ARGS...]}, and {@code grove NAME [ARGS...]} for a name that is
   * not one of Grove's commands: runs the project's custom Command (kind: Command).
   */
  @Command(
      name = "run-command",
      mixinStandardHelpOptions = true,
      description =
          "Run the project's custom Command NAME (kind: Command) with ARGS; `grove NAME ARGS`"
              + " does the same when NAME is not one of Grove's commands. Exit code: the exec"
              + " program's when it failed, as Garden's.")
  public static final class RunCustom implements Callable<Integer> {
    private final CliApp app;
    private final List<String> builtins;

    @Mixin ProjectOptions options;

    @Parameters(index = "0", paramLabel = "NAME", description = "The command's name.")
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Its arguments and options.")
    List<String> args = new ArrayList<>();

    @Unmatched List<String> unmatched = new ArrayList<>();

    /**
     * @param builtins Grove's commands when run as {@code grove NAME} (a missing command is then an
     *     unknown Grove command); null for {@code grove run-command NAME}
     */
    public RunCustom(CliApp app, List<String> builtins) {
      this.app = app;
      this.builtins = builtins;
    }

    @Override
    public Integer call() {
      try {
        List<String> words = new ArrayList<>(args);
        words.addAll(unmatched);
        CommandRequest request = new CommandRequest(options.request(app), name, words);
        return follow(app, client -> client.startCommand(request), options.output());
      } catch (UsageException e) {
        if (builtins != null) {
          return app.fail(unknown(e.getMessage()), options.output());
        }
        return app.fail(e, options.output());
      } catch (dev.grove.cli.client.DaemonErrorException e) {
        if (builtins != null && e.error().message().startsWith("The project has no command")) {
          return app.fail(unknown(e.error().suggestion()), options.output());
        }
        return app.fail(e, options.output());
      } catch (RuntimeException e) {
        return app.fail(e, options.output());
      }
    }

    private UsageException unknown(String detail) {
      String closest = null;
      for (String builtin : builtins) {
        if (distance(name, builtin) <= 2
            && (closest == null || distance(name, builtin) < distance(name, closest))) {
          closest = builtin;
        }
      }
      return new UsageException(
          "unknown command '" + name + "'",
          (closest != null ? "Did you mean `" + closest + "`? " : "")
              + "See 'grove --help' for Grove's commands"
              + (detail == null ? "." : "; " + detail));
    }

    /** Edit distance: inserts, deletes, replaces and swaps of neighbours. */
    static int distance(String a, String b) {
      int[][] d = new int[a.length() + 1][b.length() + 1];
      for (int i = 0; i <= a.length(); i++) {
        for (int j = 0; j <= b.length(); j++) {
          if (i == 0 || j == 0) {
            d[i][j] = i + j;
            continue;
          }
          int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
          d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
          if (i > 1
              && j > 1
              && a.charAt(i - 1) == b.charAt(j - 2)
              && a.charAt(i - 2) == b.charAt(j - 1)) {
            d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
          }
        }
      }
      return d[a.length()][b.length()];
    }
  }
}
