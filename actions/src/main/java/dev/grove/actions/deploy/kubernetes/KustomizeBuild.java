package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.deploy.kubernetes.KubernetesDeploySpec.Kustomize;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.LogSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code spec.kustomize}: runs {@code kustomize build PATH EXTRA_ARGS} in the build folder, as
 * Garden does with its own copy of kustomize; Grove brings none, so it uses {@code kustomize} from
 * the invoking shell's {@code PATH}, else {@code kubectl kustomize}. The CLI sends its environment
 * with each request, so the daemon looks on the CLI's {@code PATH}, not its own.
 */
public final class KustomizeBuild {

  /** What a render calls to get the manifests of {@code spec.kustomize} as YAML text. */
  @FunctionalInterface
  public interface Runner {
    String build(String action, Kustomize kustomize, Path buildDir) throws ActionException;
  }

  private final ProcessRunner processes;

  public KustomizeBuild(ProcessRunner processes) {
    this.processes = processes;
  }

  /** Runs kustomize for the action of {@code context}: its environment, log and cancellation. */
  public Runner forAction(ActionContext context, Duration timeout) {
    return (action, kustomize, buildDir) -> {
      List<String> command = command(action, kustomize, context.env());
      // Manifests are the result, not log lines: only kustomize's stderr goes to the log.
      LogSink stderr =
          (stream, text) -> {
            if (LogSink.STDERR.equals(stream)) {
              context.log().line(stream, text);
            }
          };
      ProcessRunner.Result result =
          processes.run(
              action, command, buildDir, context.env(), stderr, context.cancellation(), timeout);
      String shown = String.join(" ", command);
      if (!result.succeeded()) {
        throw new ActionException(
            ActionCodes.COMMAND_FAILED,
            action
                + ": `"
                + shown
                + "` in "
                + buildDir
                + " failed (exit "
                + result.exitCode()
                + ")"
                + (result.stderr().isBlank() ? "." : ": " + lastLines(result.stderr())),
            "Run the same command in that folder to see the problem, and fix spec.kustomize or"
                + " the kustomization it names.");
      }
      if (result.stdout().length() >= ProcessRunner.KEPT_CHARS) {
        throw new ActionException(
            ActionCodes.NOT_SUPPORTED,
            action + ": `" + shown + "` printed more than 1 MiB of manifests.",
            "Render it to a file ("
                + shown
                + " > manifests.yml) and list that file in"
                + " spec.manifestFiles instead of spec.kustomize.");
      }
      return result.stdout();
    };
  }

  /**
   * {@code kustomize build PATH ARGS} when {@code kustomize} is on the environment's {@code PATH},
   * else {@code kubectl kustomize PATH ARGS}.
   */
  static List<String> command(String action, Kustomize kustomize, Map<String, String> env)
      throws ActionException {
    String path = env.get("PATH");
    List<String> command = new ArrayList<>();
    Optional<Path> tool = ProcessRunner.onPath("kustomize", path);
    if (tool.isPresent()) {
      command.add("kustomize");
      command.add("build");
    } else if (ProcessRunner.onPath("kubectl", path).isPresent()) {
      command.add("kubectl");
      command.add("kustomize");
    } else {
      throw new ActionException(
          ActionCodes.COMMAND_NOT_STARTED,
          action
              + ": spec.kustomize needs `kustomize` or `kubectl` on the PATH, and neither is there"
              + " (PATH="
              + (path == null ? "" : path)
              + ").",
          "Install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) or"
              + " kubectl, on the PATH of the shell that runs grove; Garden downloads its own"
              + " copy, Grove uses yours.");
    }
    command.add(kustomize.path());
    command.addAll(kustomize.extraArgs());
    return command;
  }

  private static String lastLines(String text) {
    String[] lines = text.strip().split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 5), lines.length));
  }
}
