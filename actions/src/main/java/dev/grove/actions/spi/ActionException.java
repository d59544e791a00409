package dev.grove.actions.spi;

/**
 * An operation of an action failed in a way the user can act on: a stable code (one of {@link
 * ActionCodes}), a message that names what happened, and what to do.
 */
public class ActionException extends Exception {
  private static final long serialVersionUID = 1L;

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
