package dev.grove.cli.command;

import dev.grove.cli.client.Json;
import dev.grove.cli.client.SandboxLaunch;
import dev.grove.cli.render.OutputMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code grove sandbox up|status|down}: a local Kubernetes API with a simulated kubelet and a
 * private registry, for machines with no cluster. The work is the sandbox tool's, a process of its
 * own; this command renders its answer.
 */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = "A local cluster and registry to deploy to: 'grove sandbox up|status|down'.")
public final class SandboxCommand implements Callable<Integer> {
  private final CliApp app;

  public SandboxCommand(CliApp app) {
    this.app = app;
  }

  public static CommandLine of(CliApp app) {
    return new CommandLine(new SandboxCommand(app))
        .addSubcommand(new Up(app))
        .addSubcommand(new Status(app))
        .addSubcommand(new Down(app));
  }

  @Override
  public Integer call() {
    return app.fail(
        new UsageException("Say up, status or down.", "Run 'grove sandbox --help'."),
        OutputMode.TEXT);
  }

  /** Runs the tool and renders its document; its errors become Grove errors. */
  static int run(CliApp app, List<String> args, OutputMode output) {
    return run(app, args, output, SandboxCommand::statusText);
  }

  /**
   * Runs the tool and renders its document ({@code text} makes the text output's line); its errors
   * become Grove errors, its warnings notes.
   */
  static int run(
      CliApp app,
      List<String> args,
      OutputMode output,
      Function<Map<String, Object>, String> text) {
    try {
      SandboxLaunch.Answer answer = SandboxLaunch.run(args, app.home());
      Map<String, Object> document = answer.document();
      if (document.get("error") != null) {
        app.renderer()
            .error(
                String.valueOf(document.get("error")), String.valueOf(document.get("suggestion")));
        return answer.exitCode() == 2 ? ExitCodes.BAD_CONFIG_OR_ARGUMENTS : ExitCodes.FAILED;
      }
      if (document.get("warning") != null) {
        app.renderer().note("grove: " + document.get("warning"));
      }
      if (output.isJson()) {
        app.renderer().result(Json.write(document));
      } else {
        app.renderer().result(text.apply(document));
      }
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, output);
    }
  }

  /** The line of {@code up} and {@code status}. */
  static String statusText(Map<String, Object> document) {
    if (!Boolean.TRUE.equals(document.get("running"))) {
      return "sandbox: not running";
    }
    return "sandbox: running — context "
        + document.get("context")
        + " ("
        + document.get("kubeconfig")
        + "), API "
        + document.get("apiUrl")
        + ", registry "
        + document.get("registry")
        + " (pull secret "
        + document.get("pullSecret")
        + " in namespace default)"
        + runtimeText(document);
  }

  /** Which runtime runs the pods, and why it is simulated when it is. */
  private static String runtimeText(Map<String, Object> document) {
    Object runtime = document.get("runtime");
    if (runtime == null) {
      return "";
    }
    Object reason = document.get("runtimeReason");
    return ", containers "
        + ("containerd".equals(runtime) ? "real (containerd)" : runtime)
        + (reason != null && !reason.toString().isEmpty() ? " (" + reason + ")" : "");
  }

  /** The line of {@code down}: what it did. */
  static String downText(Map<String, Object> document) {
    boolean removed = Boolean.TRUE.equals(document.get("removedData"));
    if (Boolean.TRUE.equals(document.get("stopped"))) {
      return removed
          ? "sandbox: stopped the sandbox and removed its data"
          : "sandbox: stopped the sandbox (its data was already gone)";
    }
    if (removed) {
      return "sandbox: was not running; removed its data";
    }
    return "sandbox: was not running";
  }

  /** {@code grove sandbox up}. */
  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = "Start the sandbox (if it is not running) and return once it answers.")
  public static final class Up implements Callable<Integer> {
    private final CliApp app;

    @Option(
        names = "--registry-port",
        paramLabel = "N",
        description = "The registry's port on 127.0.0.1 (default 5000).")
    Integer registryPort;

    @Option(
        names = "--k3s",
        description = "A real K3s cluster and registry in containers (needs a Docker engine).")
    boolean k3s;

    @Option(
        names = "--simulated",
        description =
            "Simulate the pods' containers even where containerd could run them (the default"
                + " where it cannot: not root, not installed).")
    boolean simulated;

    @picocli.CommandLine.Mixin OutputOption output;

    public Up(CliApp app) {
      this.app = app;
    }

    @Override
    public Integer call() {
      List<String> args = new ArrayList<>(List.of("up"));
      if (k3s) {
        args.add("--k3s");
      }
      if (simulated) {
        args.add("--simulated");
      }
      if (registryPort != null) {
        args.add("--registry-port");
        args.add(String.valueOf(registryPort));
      }
      if (!k3s) {
        app.renderer().note("grove: starting the sandbox...");
      }
      return run(app, args, output.output());
    }
  }

  /** {@code grove sandbox status}. */
  @Command(name = "status", mixinStandardHelpOptions = true, description = "Is the sandbox up?")
  public static final class Status implements Callable<Integer> {
    private final CliApp app;

    @picocli.CommandLine.Mixin OutputOption output;

    public Status(CliApp app) {
      this.app = app;
    }

    @Override
    public Integer call() {
      return run(app, List.of("status"), output.output());
    }
  }

  /** {@code grove sandbox down}. */
  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stop every sandbox process and remove its data.")
  public static final class Down implements Callable<Integer> {
    private final CliApp app;

    public Down(CliApp app) {
      this.app = app;
    }

    @Override
    public Integer call() {
      return run(app, List.of("down"), OutputMode.TEXT, SandboxCommand::downText);
    }
  }
}
