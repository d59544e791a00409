package dev.grove.cli.command;

import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code grove update-remote sources|actions|all}, as Garden's {@code garden update-remote}:
 * fetches remote sources again. Clones are pinned by the {@code #ref} of their URL and never
 * fetched while they exist, so this removes them and loads the project, which clones them anew.
 */
@Command(
    name = "update-remote",
    mixinStandardHelpOptions = true,
    description =
        "Fetch remote sources again: sources (the project's `sources`), actions (actions'"
            + " `source.repository.url`) or all; then validate the project.")
public final class UpdateRemoteCommand implements Callable<Integer> {
  private static final List<String> WHAT = List.of("sources", "actions", "all");

  private final CliApp app;

  @Parameters(index = "0", paramLabel = "WHAT", description = "sources, actions or all.")
  String what;

  @Mixin ProjectOptions options;

  public UpdateRemoteCommand(CliApp app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    try {
      if (!WHAT.contains(what)) {
        throw new UsageException(
            "update-remote " + what + " is not one of " + String.join(", ", WHAT),
            "Write grove update-remote sources, actions or all.");
      }
      ProjectRequest request = options.request(app);
      Path clones = Path.of(request.root()).resolve(".grove/sources");
      if (!what.equals("actions")) {
        delete(clones.resolve("project"));
      }
      if (!what.equals("sources")) {
        delete(clones.resolve("action"));
      }
      ProjectSummary summary = app.daemon().call(client -> client.validate(request));
      app.renderer().validated(summary, options.output());
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, options.output());
    }
  }

  private static void delete(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UsageException(
          "cannot remove the clones in " + dir + ": " + e.getMessage(),
          "Remove the folder by hand (rm -rf " + dir + ") and run grove validate.");
    }
  }
}
