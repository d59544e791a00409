package dev.grove.cli.command;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What Ctrl-C does while a grove shows something the daemon runs: {@code onInterrupt} (cancel the
 * run, stop the watch), then up to 3 s for the view to show how it ended. Closing it (the view
 * ended by itself) removes the hook.
 */
final class InterruptHook implements AutoCloseable {
  private final CountDownLatch shown = new CountDownLatch(1);
  private final Thread hook;
  private final boolean installed;

  InterruptHook(String name, boolean install, Runnable onInterrupt) {
    this.installed = install;
    this.hook =
        new Thread(
            () -> {
              if (shown.getCount() == 0) {
                return;
              }
              try {
                onInterrupt.run();
                shown.await(3, TimeUnit.SECONDS);
              } catch (RuntimeException | InterruptedException e) {
                // exiting anyway
              }
            },
            name);
    if (install) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
  }

  @Override
  public void close() {
    shown.countDown();
    if (installed) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook is running
      }
    }
  }
}
