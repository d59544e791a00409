package dev.grove.cli.command;

import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import dev.grove.cli.render.GraphFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code grove graph}: the action graph with versions and dependencies. */
@Command(name = "graph", mixinStandardHelpOptions = true, description = "Print the action graph.")
public final class GraphCommand implements Callable<Integer> {
  private final CliApp app;

  @Mixin ProjectOptions options;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      converter = GraphFormat.Converter.class,
      description = "text, dot or mermaid (default: text; ignored with --output json).")
  GraphFormat format = GraphFormat.TEXT;

  public GraphCommand(CliApp app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    try {
      ProjectRequest request = options.request(app);
      ProjectSummary summary = app.daemon().call(client -> client.graph(request));
      app.renderer().graph(summary, options.output(), format);
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, options.output());
    }
  }
}
