package dev.grove.cli.command;

import dev.grove.api.dashboard.DashboardCode;
import dev.grove.api.project.ProjectRequest;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code grove dashboard}: a one-time login link to the daemon's web page for the project, printed
 * (and on a desktop opened). The link's code works once and for two minutes; the page then holds a
 * session cookie, never the daemon's token.
 */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description =
        "Print (and on a desktop open) a one-time link to the project's dashboard: the action"
            + " graph with live states, logs, runs and buttons for build, deploy and test.")
public final class DashboardCommand implements Callable<Integer> {
  private final CliApp app;

  @Mixin ProjectOptions options;

  @Option(names = "--no-open", description = "Only print the link; do not open a browser.")
  boolean noOpen;

  public DashboardCommand(CliApp app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    try {
      ProjectRequest request = options.request(app);
      String[] url = new String[1];
      DashboardCode code =
          app.daemon()
              .call(
                  client -> {
                    DashboardCode answer = client.dashboardCode(request);
                    url[0] = "http://127.0.0.1:" + client.info().port() + answer.path();
                    return answer;
                  });
      if (options.output().isJson()) {
        app.renderer()
            .result(
                dev.grove.cli.client.Json.write(
                    Map.of("url", url[0], "expiresInSeconds", code.expiresInSeconds())));
        return ExitCodes.OK;
      }
      app.renderer().result(url[0]);
      app.renderer()
          .note(
              "grove: the link works once, within "
                  + code.expiresInSeconds()
                  + " s; run `grove dashboard` again for another.");
      if (!noOpen && desktop(app.env())) {
        try {
          new ProcessBuilder("xdg-open", url[0])
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
        } catch (java.io.IOException e) {
          app.renderer().note("grove: could not open a browser (" + e.getMessage() + ")");
        }
      }
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, options.output());
    }
  }

  /** A graphical session to open a browser in, and not CI. */
  private static boolean desktop(Map<String, String> env) {
    return (env.containsKey("DISPLAY") || env.containsKey("WAYLAND_DISPLAY"))
        && !env.containsKey("CI")
        && java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/xdg-open"));
  }
}
