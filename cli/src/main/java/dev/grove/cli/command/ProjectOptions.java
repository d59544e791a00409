package dev.grove.cli.command;

import dev.grove.api.error.ErrorCodes;
import dev.grove.api.project.ProjectFiles;
import dev.grove.api.project.ProjectRequest;
import dev.grove.cli.render.OutputMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every project command shares. */
public final class ProjectOptions {
  public static final String PROJECT_FILE = "project.garden.yml";

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "The project folder (default: the nearest folder upward holding " + PROJECT_FILE + ").")
  Path root;

  @Option(names = "--env", paramLabel = "NAME", description = "The environment to resolve.")
  String environment;

  @Option(names = "--var", paramLabel = "KEY=VALUE", description = "Set a variable; repeatable.")
  List<String> vars = List.of();

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      converter = OutputMode.Converter.class,
      description = "text, json or jsonl (default: text).")
  OutputMode output = OutputMode.TEXT;

  public OutputMode output() {
    return output;
  }

  /** The request for the daemon, or a {@link UsageException} naming what is wrong. */
  public ProjectRequest request(CliApp app) {
    return new ProjectRequest(
        projectRoot(app.cwd()).toString(),
        app.cwd().toString(),
        environment,
        parseVars(vars),
        app.env());
  }

  Path projectRoot(Path cwd) {
    if (root != null) {
      Path given = cwd.resolve(root).toAbsolutePath().normalize();
      if (!Files.isDirectory(given)) {
        throw new UsageException(
            ErrorCodes.PROJECT_NOT_FOUND,
            "--root " + root + " is not a folder",
            "Pass the folder that holds " + PROJECT_FILE + ".");
      }
      return given;
    }
    return ProjectFiles.rootAbove(cwd)
        .orElseThrow(
            () ->
                new UsageException(
                    ErrorCodes.PROJECT_NOT_FOUND,
                    "no " + PROJECT_FILE + " in " + cwd + " or any folder above it",
                    "Run grove inside a Garden project, or pass --root DIR."));
  }

  static Map<String, String> parseVars(List<String> vars) {
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String var : vars) {
      int eq = var.indexOf('=');
      if (eq <= 0) {
        throw new UsageException(
            "--var '" + var + "' is not KEY=VALUE", "Write it as --var name=value.");
      }
      String problem = ProjectRequest.varNameProblem(var.substring(0, eq));
      if (problem != null) {
        throw new UsageException(
            "--var '" + var + "': " + problem,
            "Write it as --var name=value, or --var parent.child=value for a nested variable.");
      }
      parsed.put(var.substring(0, eq), var.substring(eq + 1));
    }
    return parsed;
  }
}
