package dev.grove.orchestrator.daemon;

import dev.grove.orchestrator.project.DefaultProjectService;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Grove daemon. The CLI starts it detached with stdout and stderr appended to {@code
 * $GROVE_HOME/daemon.log}, where SLF4J (slf4j-simple, on stderr) logs.
 */
public final class DaemonMain {
  private DaemonMain() {}

  public static void main(String[] args) {
    configureLogging();
    Logger log = LoggerFactory.getLogger(DaemonMain.class);
    Path home = GroveHome.resolve(System.getenv(GroveHome.ENV), System.getProperty("user.home"));
    try {
      GroveHome.ensureExists(home);
    } catch (IOException e) {
      log.error("Cannot create the Grove home folder {}: {}", home, describe(e));
      System.exit(1);
      return;
    }
    Daemon.start(home, DefaultProjectService::new, BuildId.current(), DaemonMain::exitSoon)
        .onSuccess(
            daemon ->
                Runtime.getRuntime()
                    .addShutdownHook(new Thread(daemon::removeInfoFile, "grove-daemon-cleanup")))
        .onFailure(
            failure -> {
              if (failure instanceof DaemonAlreadyRunningException) {
                log.error(failure.getMessage());
              } else if (failure instanceof IOException) {
                // a full disk, a read-only home: say what and where, no stack trace
                log.error(
                    "The Grove daemon could not start: cannot write in {}: {}. Free space there (or"
                        + " set GROVE_HOME to a writable folder), then run again.",
                    home,
                    describe(failure));
              } else {
                log.error("The Grove daemon could not start", failure);
              }
              System.exit(1);
            });
  }

  /** The exception's message, which for file errors is the path and the OS's reason. */
  private static String describe(Throwable e) {
    String reason =
        e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null
            ? fs.getReason()
            : e.getMessage();
    return e instanceof java.nio.file.FileSystemException fs && fs.getFile() != null
        ? fs.getFile() + ": " + reason
        : String.valueOf(reason);
  }

  /** Exits from a fresh thread: System.exit blocks its caller, which must not be a vert.x one. */
  private static void exitSoon() {
    new Thread(() -> System.exit(0), "grove-daemon-exit").start();
  }

  private static void configureLogging() {
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
    setIfAbsent(
        "vertx.logger-delegate-factory-class-name",
        "io.vertx.core.logging.SLF4JLogDelegateFactory");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
