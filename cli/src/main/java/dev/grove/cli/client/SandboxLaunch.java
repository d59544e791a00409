package dev.grove.cli.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the sandbox tool ({@code dev.grove.sandbox.tool.SandboxTool}, e2e/sandbox-tool's main code)
 * as its own process with the classpath the launcher script names, and answers its JSON document.
 */
public final class SandboxLaunch {
  public static final String CLASSPATH_PROPERTY = "grove.sandbox.classpath";
  public static final String MAIN_CLASS = "dev.grove.sandbox.tool.SandboxTool";

  /** What the tool printed and how it exited. */
  public record Answer(int exitCode, Map<String, Object> document) {}

  private SandboxLaunch() {}

  public static Answer run(List<String> args, GroveHome home) {
    String classpath = System.getProperty(CLASSPATH_PROPERTY);
    if (classpath == null || classpath.isBlank()) {
      throw new DaemonUnreachableException(
          "This grove was started without the sandbox's classpath.",
          "Run grove through the ./grove launcher (it builds the sandbox too).");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(classpath);
    command.add(MAIN_CLASS);
    command.addAll(args);
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put("GROVE_HOME", home.dir().toString());
      Process process = builder.start();
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = process.waitFor();
      String last = out.strip();
      int newline = last.lastIndexOf('\n');
      if (newline >= 0) {
        last = last.substring(newline + 1);
      }
      Object parsed = last.isEmpty() ? null : Json.parse(last);
      if (!(parsed instanceof Map<?, ?> map)) {
        throw new DaemonUnreachableException(
            "The sandbox tool exited with " + code + " and printed no answer.",
            "Run `grove sandbox down` and try again.");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> document = (Map<String, Object>) map;
      return new Answer(code, document);
    } catch (IOException e) {
      throw new DaemonUnreachableException(
          "Cannot start the sandbox tool: " + e.getMessage(),
          "Check that java runs and the launcher built the e2e module.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DaemonUnreachableException("Interrupted.", "Run it again.");
    }
  }
}
