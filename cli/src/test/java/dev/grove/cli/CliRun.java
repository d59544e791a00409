package dev.grove.cli;

import dev.grove.cli.client.DaemonConnector;
import dev.grove.cli.client.DaemonLaunch;
import dev.grove.cli.client.GroveHome;
import dev.grove.cli.command.CliApp;
import dev.grove.cli.render.Renderer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process and captures what it printed. */
public final class CliRun {
  public final int exitCode;
  public final String out;
  public final String err;

  private CliRun(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  public static CliRun run(Path cwd, Path groveHome, DaemonLaunch launch, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Renderer renderer =
        new Renderer(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);
    Map<String, String> env = new HashMap<>(Map.of("GROVE_HOME", groveHome.toString()));
    env.put("KUBECONFIG", "/home/u/.kube/config");
    GroveHome home = new GroveHome(groveHome);
    CliApp app =
        new CliApp(
            cwd, env, renderer, home, () -> new DaemonConnector(home, launch, renderer::note));
    int code = Main.run(args, app);
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
