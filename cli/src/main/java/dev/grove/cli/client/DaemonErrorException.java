package dev.grove.cli.client;

import dev.grove.api.error.ApiError;

/** The daemon answered with an error: its {@link ApiError} body. */
public final class DaemonErrorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ApiError error;
  private final int status;

  public DaemonErrorException(int status, ApiError error) {
    super(error.message());
    this.status = status;
    this.error = error;
  }

  public ApiError error() {
    return error;
  }

  public int status() {
    return status;
  }
}
