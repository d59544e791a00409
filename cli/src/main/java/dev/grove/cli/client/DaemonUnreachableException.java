package dev.grove.cli.client;

/** No daemon answers for this GROVE_HOME, and none could be started. */
public final class DaemonUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String suggestion;
  private final boolean tokenRejected;
  private boolean notConnected;

  public DaemonUnreachableException(String message, String suggestion) {
    this(message, suggestion, false);
  }

  DaemonUnreachableException(String message, String suggestion, boolean tokenRejected) {
    super(message);
    this.suggestion = suggestion;
    this.tokenRejected = tokenRejected;
  }

  /** Marks that the connection itself was refused: nothing of the request was sent. */
  DaemonUnreachableException connectionRefused() {
    this.notConnected = true;
    return this;
  }

  /** True when the connection itself failed, so the request can safely be sent again. */
  public boolean notConnected() {
    return notConnected;
  }

  /** Something answers on the daemon's port but refuses daemon.json's token. */
  public boolean tokenRejected() {
    return tokenRejected;
  }

  public String suggestion() {
    return suggestion;
  }
}
