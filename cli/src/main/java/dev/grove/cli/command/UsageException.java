package dev.grove.cli.command;

import dev.grove.api.error.ApiError;
import dev.grove.api.error.ErrorCodes;

/** Bad arguments or no project to work on: exit 2, detected before talking to the daemon. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ApiError error;

  public UsageException(String code, String message, String suggestion) {
    super(message);
    this.error = ApiError.of(code, message, suggestion);
  }

  public UsageException(String message, String suggestion) {
    this(ErrorCodes.BAD_REQUEST, message, suggestion);
  }

  public ApiError error() {
    return error;
  }
}
