package dev.grove.orchestrator.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.actions.kube.KubeConfigResolver;
import dev.grove.actions.kube.SandboxFiles;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.process.SandboxLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Starts the sandbox for a project that names the {@code grove-sandbox} context while it is not
 * running: {@code grove sandbox up}, through {@link SandboxLauncher} with the classpath the CLI's
 * launcher gave the daemon.
 */
final class SandboxProcess implements KubeConfigResolver.SandboxStarter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final SandboxLauncher launcher;

  SandboxProcess(SandboxLauncher launcher) {
    this.launcher = launcher;
  }

  /** The starter when the daemon knows the sandbox's classpath; null otherwise. */
  static SandboxProcess fromSystem() {
    return SandboxLauncher.fromSystem().map(SandboxProcess::new).orElse(null);
  }

  @Override
  public void start(Map<String, String> env, Consumer<String> say) throws ActionException {
    Path groveHome = SandboxFiles.dir(env).getParent();
    try {
      String path = env.get("PATH");
      SandboxLauncher.Answer run =
          launcher.run(
              List.of("up"),
              groveHome,
              // the registry binary is looked up on the PATH of the shell that asked
              path == null ? Map.of() : Map.of("PATH", path),
              TIMEOUT);
      String last = run.lastLine();
      JsonNode answer = last.isEmpty() ? JSON.createObjectNode() : JSON.readTree(last);
      if (run.exitCode() != 0 || !answer.path("running").asBoolean()) {
        throw new ActionException(
            ActionCodes.SANDBOX_FAILED,
            "The sandbox did not start: " + answer.path("error").asText("exit " + run.exitCode()),
            answer.path("suggestion").asText("Run `grove sandbox up` to see why."));
      }
      say.accept(
          "The sandbox is up: context grove-sandbox at "
              + answer.path("apiUrl").asText()
              + ", registry "
              + answer.path("registry").asText()
              + ".");
    } catch (TimeoutException e) {
      throw new ActionException(
          ActionCodes.SANDBOX_FAILED,
          "The sandbox did not start within 90 s.",
          "See " + groveHome.resolve("sandbox") + "; `grove sandbox down` resets it.");
    } catch (IOException e) {
      throw new ActionException(
          ActionCodes.SANDBOX_FAILED,
          "Cannot start the sandbox: " + e.getMessage(),
          "Run `grove sandbox up` to see why.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ActionException(
          ActionCodes.CANCELLED, "Cancelled while starting the sandbox.", "Run again.");
    }
  }
}
