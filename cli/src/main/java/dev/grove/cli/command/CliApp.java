package dev.grove.cli.command;

import dev.grove.api.error.ApiError;
import dev.grove.api.error.ErrorCodes;
import dev.grove.cli.client.DaemonConnector;
import dev.grove.cli.client.DaemonErrorException;
import dev.grove.cli.client.DaemonLaunch;
import dev.grove.cli.client.DaemonUnreachableException;
import dev.grove.cli.client.GroveHome;
import dev.grove.cli.render.OutputMode;
import dev.grove.cli.render.Renderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** What every command needs: the invoking shell, the renderer, and (lazily) the daemon. */
public final class CliApp {
  private final Path cwd;
  private final Map<String, String> env;
  private final Renderer renderer;
  private final GroveHome home;
  private final Supplier<DaemonConnector> connectorFactory;
  private final Prompt prompt;
  private DaemonConnector connector;

  /** Asks the user a yes/no question on the terminal. */
  @FunctionalInterface
  public interface Prompt {
    /** The answer; empty when there is no terminal to ask on. */
    Optional<Boolean> ask(String question);

    /** No terminal: nothing can be asked. */
    Prompt NONE = question -> Optional.empty();

    /** The process's console, when it has one. */
    static Prompt console() {
      java.io.Console console = System.console();
      if (console == null) {
        return NONE;
      }
      return question -> {
        String answer = console.readLine("%s [y/N] ", question);
        return Optional.of(
            answer != null
                && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes")));
      };
    }
  }

  public CliApp(
      Path cwd,
      Map<String, String> env,
      Renderer renderer,
      GroveHome home,
      Supplier<DaemonConnector> connectorFactory) {
    this(cwd, env, renderer, home, connectorFactory, Prompt.NONE);
  }

  public CliApp(
      Path cwd,
      Map<String, String> env,
      Renderer renderer,
      GroveHome home,
      Supplier<DaemonConnector> connectorFactory,
      Prompt prompt) {
    this.prompt = prompt;
    this.cwd = cwd;
    this.env = Map.copyOf(env);
    this.renderer = renderer;
    this.home = home;
    this.connectorFactory = connectorFactory;
  }

  /** The production wiring: the daemon as the launcher script configured it. */
  public static CliApp of(Path cwd, Map<String, String> env, Renderer renderer) {
    GroveHome home = GroveHome.fromEnv(env);
    return new CliApp(
        cwd,
        env,
        renderer,
        home,
        () -> new DaemonConnector(home, DaemonLaunch.fromSystem(env), renderer::note),
        Prompt.console());
  }

  public GroveHome home() {
    return home;
  }

  public Prompt prompt() {
    return prompt;
  }

  public Path cwd() {
    return cwd;
  }

  public Map<String, String> env() {
    return env;
  }

  public Renderer renderer() {
    return renderer;
  }

  public DaemonConnector daemon() {
    if (connector == null) {
      connector = connectorFactory.get();
    }
    return connector;
  }

  /** Reports a failure the way {@code mode} asks and answers its exit code. */
  public int fail(Throwable failure, OutputMode mode) {
    if (failure instanceof DaemonErrorException daemon) {
      renderer.apiError(daemon.error(), mode);
    } else if (failure instanceof UsageException usage) {
      renderer.apiError(usage.error(), mode);
    } else if (failure instanceof DaemonUnreachableException unreachable) {
      renderer.error(unreachable.getMessage(), unreachable.suggestion());
    } else {
      Path log = logUnexpected(failure);
      String what =
          "unexpected " + failure.getClass().getSimpleName() + ": " + failure.getMessage();
      String where = log == null ? "This is a bug in Grove." : "Details are in " + log + ".";
      if (mode.isJson()) {
        renderer.apiError(ApiError.of(ErrorCodes.INTERNAL, what, where), mode);
      } else {
        renderer.error(what, where);
      }
    }
    return ExitCodes.of(failure);
  }

  /** Appends the stack trace to cli.log: the user sees one line, a bug report has the rest. */
  private Path logUnexpected(Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    Path log = home.cliLogFile();
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          Instant.now() + " " + trace + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      return log;
    } catch (IOException e) {
      return null;
    }
  }
}
