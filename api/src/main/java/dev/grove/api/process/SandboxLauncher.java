package dev.grove.api.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the sandbox tool ({@value #MAIN_CLASS}, e2e/sandbox-tool's main code) as a process of its
 * own with the classpath the {@code ./grove} launcher names ({@code -D}{@value
 * #CLASSPATH_PROPERTY}), and answers the last line it printed (its JSON document). The CLI ({@code
 * grove sandbox}) and the daemon (a project on the {@code grove-sandbox} context) both start it
 * this way.
 */
public final class SandboxLauncher {

  /** The system property that holds the sandbox tool's classpath. */
  public static final String CLASSPATH_PROPERTY = "grove.sandbox.classpath";

  /** The sandbox tool's main class. */
  public static final String MAIN_CLASS = "dev.grove.sandbox.tool.SandboxTool";

  /**
   * What the tool answered.
   *
   * @param exitCode its exit code
   * @param lastLine the last line it printed on stdout (its JSON document), empty when none
   */
  public record Answer(int exitCode, String lastLine) {
    public Answer {
      Objects.requireNonNull(lastLine, "lastLine");
    }
  }

  private final String classpath;

  public SandboxLauncher(String classpath) {
    this.classpath = Objects.requireNonNull(classpath, "classpath");
  }

  /** The launcher for the classpath this JVM was given; empty when it was given none. */
  public static Optional<SandboxLauncher> fromSystem() {
    String classpath = System.getProperty(CLASSPATH_PROPERTY);
    return classpath == null || classpath.isBlank()
        ? Optional.empty()
        : Optional.of(new SandboxLauncher(classpath));
  }

  /**
   * Runs {@code SandboxTool args...} with {@code GROVE_HOME} set to {@code groveHome}, this
   * process's environment plus {@code environment}, stdin closed and stderr discarded; waits for
   * its output to end, then at most {@code timeout} for it to exit (and kills it after that).
   *
   * @throws IOException when it cannot be started
   * @throws TimeoutException when it did not exit in time
   */
  public Answer run(
      List<String> args, Path groveHome, Map<String, String> environment, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(classpath);
    command.add(MAIN_CLASS);
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(environment);
    builder.environment().put("GROVE_HOME", groveHome.toString());
    Process process = builder.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new TimeoutException("the sandbox tool did not exit within " + timeout);
    }
    String last = out.strip();
    return new Answer(process.exitValue(), last.substring(last.lastIndexOf('\n') + 1));
  }
}
