package dev.grove.cli.command;

import dev.grove.cli.client.DaemonClient;
import dev.grove.cli.client.DaemonConnector;
import dev.grove.cli.render.OutputMode;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code grove daemon start|stop|status}. */
@Command(
    name = "daemon",
    mixinStandardHelpOptions = true,
    description = "Start, stop or inspect the Grove daemon.")
public final class DaemonCommand {
  private final CliApp app;

  public DaemonCommand(CliApp app) {
    this.app = app;
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Start the daemon unless it runs.")
  int start() {
    try {
      DaemonClient client = app.daemon().connect();
      app.renderer().daemonStatus(client.health(), client.info().port());
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, OutputMode.TEXT);
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop the daemon and wait until it has exited.")
  int stop() {
    try {
      DaemonConnector.Stopped stopped = app.daemon().stop();
      app.renderer().result("grove daemon: " + stopped.message());
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, OutputMode.TEXT);
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Print the daemon's port, pid and uptime.")
  int status() {
    try {
      Optional<DaemonConnector.Running> running = app.daemon().probe();
      if (running.isEmpty()) {
        app.renderer().result("grove daemon: not running");
        return ExitCodes.DAEMON_UNREACHABLE;
      }
      app.renderer().daemonStatus(running.get().health(), running.get().client().info().port());
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, OutputMode.TEXT);
    }
  }
}
