package dev.grove.orchestrator.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.actions.kube.KubeConfigResolver;
import dev.grove.actions.kube.SandboxFiles;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts the sandbox for a project that names the {@code grove-sandbox} context while it is not
 * running: the sandbox tool ({@code grove sandbox up}) as a process, with the classpath the CLI's
 * launcher gave the daemon ({@code -Dgrove.sandbox.classpath}).
 */
final class SandboxProcess implements KubeConfigResolver.SandboxStarter {
  static final String CLASSPATH_PROPERTY = "grove.sandbox.classpath";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String classpath;

  SandboxProcess(String classpath) {
    this.classpath = classpath;
  }

  /** The starter when the daemon knows the sandbox's classpath; null otherwise. */
  static SandboxProcess fromSystem() {
    String classpath = System.getProperty(CLASSPATH_PROPERTY);
    return classpath == null || classpath.isBlank() ? null : new SandboxProcess(classpath);
  }

  @Override
  public void start(Map<String, String> env, Consumer<String> say) throws ActionException {
    Path groveHome = SandboxFiles.dir(env).getParent();
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classpath,
            "dev.grove.e2e.sandbox.SandboxTool",
            "up");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put("GROVE_HOME", groveHome.toString());
      String path = env.get("PATH");
      if (path != null) {
        builder.environment().put("PATH", path); // the registry binary is looked up on it
      }
      Process process = builder.start();
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new ActionException(
            ActionCodes.SANDBOX_FAILED,
            "The sandbox did not start within 90 s.",
            "See " + groveHome.resolve("sandbox") + "; `grove sandbox down` resets it.");
      }
      String last = out.strip();
      last = last.substring(last.lastIndexOf('\n') + 1);
      JsonNode answer = last.isEmpty() ? JSON.createObjectNode() : JSON.readTree(last);
      if (process.exitValue() != 0 || !answer.path("running").asBoolean()) {
        throw new ActionException(
            ActionCodes.SANDBOX_FAILED,
            "The sandbox did not start: "
                + answer.path("error").asText("exit " + process.exitValue()),
            answer.path("suggestion").asText("Run `grove sandbox up` to see why."));
      }
      say.accept(
          "The sandbox is up: context grove-sandbox at "
              + answer.path("apiUrl").asText()
              + ", registry "
              + answer.path("registry").asText()
              + ".");
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
