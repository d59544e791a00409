package dev.grove.actions.spi;

/**
 * An operation of an action failed in a way the user can act on: a stable code, a message that
 * names what happened, and what to do.
 */
public class ActionException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A command exited non-zero. */
  public static final String COMMAND_FAILED = "COMMAND_FAILED";

  /** A command could not be started (not found, not executable). */
  public static final String COMMAND_NOT_STARTED = "COMMAND_NOT_STARTED";

  /** The action's timeout passed. */
  public static final String TIMEOUT = "TIMEOUT";

  /** The run was cancelled. */
  public static final String CANCELLED = "CANCELLED";

  /** The spec has a value the type cannot use. */
  public static final String INVALID_SPEC = "INVALID_SPEC";

  /** Grove does not run this kind of action yet. */
  public static final String NOT_SUPPORTED = "NOT_SUPPORTED";

  private final String code;
  private final String suggestion;

  public ActionException(String code, String message, String suggestion) {
    super(message);
    this.code = code;
    this.suggestion = suggestion;
  }

  public String code() {
    return code;
  }

  public String suggestion() {
    return suggestion;
  }
}
