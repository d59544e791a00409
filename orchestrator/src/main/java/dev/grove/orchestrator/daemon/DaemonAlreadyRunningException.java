package dev.grove.orchestrator.daemon;

/** Another daemon holds this GROVE_HOME's daemon.lock: a second one must not start. */
public final class DaemonAlreadyRunningException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DaemonAlreadyRunningException(String message) {
    super(message);
  }
}
