package dev.grove.api.http;

/** The daemon's REST routes (see docs/API.md). */
public final class Routes {
  public static final String PREFIX = "/api/v1";

  /** GET: liveness and identity of the daemon. */
  public static final String HEALTH = PREFIX + "/health";

  /** POST: stop the daemon. */
  public static final String SHUTDOWN = PREFIX + "/shutdown";

  /** POST {@link dev.grove.api.project.ProjectRequest}: load and check a project. */
  public static final String VALIDATE = PREFIX + "/validate";

  /** POST {@link dev.grove.api.project.ProjectRequest}: the action graph with versions. */
  public static final String GRAPH = PREFIX + "/graph";

  /** The header carrying {@code Bearer <token>}. */
  public static final String AUTHORIZATION = "Authorization";

  private Routes() {}
}
