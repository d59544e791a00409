package dev.grove.api.error;

/**
 * Stable machine codes of the daemon's own errors, shared by the daemon and its clients: the codes
 * of error answers (docs/API.md maps each to its HTTP status) and of the action errors the daemon
 * makes itself. Action operations report the actions module's codes ({@code ActionCodes}), config
 * loading the orchestrator's ({@code ConfigCodes}).
 */
public final class ErrorCodes {
  /** One or more config problems; {@code problems} lists them. */
  public static final String CONFIG_INVALID = "CONFIG_INVALID";

  /** No {@code project.garden.yml} was found. */
  public static final String PROJECT_NOT_FOUND = "PROJECT_NOT_FOUND";

  /** The request itself is malformed (bad JSON, missing field, unknown flag value). */
  public static final String BAD_REQUEST = "BAD_REQUEST";

  /** A run names an action the project does not have. */
  public static final String UNKNOWN_ACTION = "UNKNOWN_ACTION";

  /** A run names an action that is disabled in the environment. */
  public static final String ACTION_DISABLED = "ACTION_DISABLED";

  /** A Deploy whose logs were asked for was never deployed to its cluster and namespace. */
  public static final String NOT_DEPLOYED = "NOT_DEPLOYED";

  /** No or a wrong bearer token (or dashboard session). */
  public static final String UNAUTHORIZED = "UNAUTHORIZED";

  /**
   * A dashboard request from elsewhere: a foreign {@code Host} (DNS rebinding) or {@code Origin}
   * (another site), or a state-changing call without the session's CSRF token.
   */
  public static final String FORBIDDEN = "FORBIDDEN";

  /** A Test or Run has no result yet ({@code grove get test-result}). */
  public static final String NO_RESULT = "NO_RESULT";

  /** No such route. */
  public static final String NOT_FOUND = "NOT_FOUND";

  /** A bug in Grove: the message says so and where to report it. */
  public static final String INTERNAL = "INTERNAL";

  /** An action was not run because an upstream dependency failed ({@code actionStatus.error}). */
  public static final String ABORTED = "ABORTED";

  private ErrorCodes() {}
}
