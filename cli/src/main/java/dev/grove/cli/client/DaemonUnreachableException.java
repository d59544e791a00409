package dev.grove.cli.client;

/** No daemon answers for this GROVE_HOME, and none could be started. */
public final class DaemonUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String suggestion;

  public DaemonUnreachableException(String message, String suggestion) {
    super(message);
    this.suggestion = suggestion;
  }

  public String suggestion() {
    return suggestion;
  }
}
