package dev.grove.cli.command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code grove}: without a subcommand it prints its usage. */
@Command(
    name = "grove",
    mixinStandardHelpOptions = true,
    versionProvider = GroveCommand.Version.class,
    description = "Deploy Garden projects to Kubernetes, through a warm daemon.",
    footer = {
      "",
      "Exit codes: 0 ok, 1 an action failed, 2 bad config or arguments, 3 daemon unreachable."
    })
public final class GroveCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is missing");
  }

  /** The version Maven recorded in the CLI jar. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = "unknown (not run from a jar)";
      try (InputStream in =
          GroveCommand.class.getResourceAsStream(
              "/META-INF/maven/dev.grove/grove-cli/pom.properties")) {
        if (in != null) {
          Properties properties = new Properties();
          properties.load(in);
          version = properties.getProperty("version", version);
        }
      } catch (IOException e) {
        // The version is informative only.
      }
      return new String[] {"grove " + version, "Java " + Runtime.version()};
    }
  }
}
