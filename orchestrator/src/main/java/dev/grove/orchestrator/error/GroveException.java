package dev.grove.orchestrator.error;

import dev.grove.api.error.ApiError;

/**
 * The one exception type a user may see, carrying a stable code, a message that names what is
 * wrong, and what would fix it. The HTTP layer maps codes to statuses in one place.
 */
public class GroveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ApiError error;

  public GroveException(ApiError error) {
    super(error.message());
    this.error = error;
  }

  public GroveException(String code, String message, String suggestion) {
    this(ApiError.of(code, message, suggestion));
  }

  public ApiError error() {
    return error;
  }
}
