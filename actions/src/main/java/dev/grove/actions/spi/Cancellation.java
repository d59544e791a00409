package dev.grove.actions.spi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells a running operation to stop: because its run was cancelled, or because its action's timeout
 * passed. Whoever starts something stoppable (a process) registers a listener.
 */
public final class Cancellation {
  /** Why an operation was told to stop. */
  public enum Reason {
    CANCELLED,
    TIMEOUT
  }

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Reason reason;

  /** Stops the operation; listeners run once, on the caller's thread. */
  public void cancel(Reason why) {
    synchronized (this) {
      if (reason != null) {
        return;
      }
      reason = why;
    }
    listeners.forEach(Runnable::run);
  }

  public boolean isCancelled() {
    return reason != null;
  }

  /** Why it was stopped, or null while it was not. */
  public Reason reason() {
    return reason;
  }

  /** Runs {@code listener} when cancelled (at once if already). */
  public void onCancel(Runnable listener) {
    listeners.add(listener);
    if (reason != null && listeners.remove(listener)) {
      listener.run();
    }
  }

  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  /**
   * Waits {@code millis}, or less when cancelled meanwhile (at once if already): whether it was
   * cancelled. Pollers wait with it, so that a Ctrl-C or the action's timeout ends their wait.
   */
  public boolean sleep(long millis) throws InterruptedException {
    java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);
    Runnable wake = cancelled::countDown;
    onCancel(wake);
    try {
      cancelled.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    } finally {
      removeListener(wake);
    }
    return isCancelled();
  }
}
