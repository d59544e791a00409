package dev.grove.cli.command;

import dev.grove.api.project.ProjectRequest;
import dev.grove.api.render.RenderRequest;
import dev.grove.api.render.RenderResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code grove render}: what deploy would apply, without a cluster or a registry. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description =
        "Print (or write, one file per Deploy) the Kubernetes objects deploy would apply:"
            + " templates resolved, patches, pull secrets, labels, image tags.")
public final class RenderCommand implements Callable<Integer> {
  private final CliApp app;

  @Mixin ProjectOptions options;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Deploy names (default: all).")
  List<String> names = new ArrayList<>();

  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      description = "Write DIR/deploy.<name>.yaml per Deploy instead of printing.")
  Path outputDir;

  public RenderCommand(CliApp app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    try {
      ProjectRequest request = options.request(app);
      RenderResult result =
          app.daemon().call(client -> client.render(new RenderRequest(request, names)));
      app.renderer().rendered(result, options.output(), write(result));
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, options.output());
    }
  }

  /** The files written, one per rendered Deploy; none without --output-dir. */
  private List<Path> write(RenderResult result) {
    List<Path> written = new ArrayList<>();
    if (outputDir == null) {
      return written;
    }
    Path dir = app.cwd().resolve(outputDir);
    try {
      Files.createDirectories(dir);
      for (RenderResult.RenderedDeploy deploy : result.deploys()) {
        if (deploy.note() != null) {
          continue;
        }
        Path file = dir.resolve(deploy.action() + ".yaml");
        Files.writeString(file, deploy.yaml(), StandardCharsets.UTF_8);
        written.add(file);
      }
    } catch (IOException e) {
      throw new UsageException(
          "Cannot write to " + dir + ": " + e.getMessage(),
          "Pass an --output-dir that can be created and written.");
    }
    return written;
  }
}
