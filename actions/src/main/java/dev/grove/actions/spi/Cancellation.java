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
}
