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

  /** POST {@link dev.grove.api.run.RunRequest} → {@code {runId}}; GET → the runs. */
  public static final String RUNS = PREFIX + "/runs";

  /** GET one run ({@link dev.grove.api.run.RunInfo}); append {@code /cancel} (POST) to cancel. */
  public static String run(String runId) {
    return RUNS + "/" + runId;
  }

  /**
   * The event stream: a websocket, or with {@code Accept: application/x-ndjson} one JSON event per
   * line over chunked HTTP. Query: {@code since} (replay events after that seq), {@code runId},
   * {@code action} (a ref), {@code follow=false} to end after the replay.
   */
  public static final String EVENTS = PREFIX + "/events";

  /**
   * POST {@link dev.grove.api.cleanup.CleanupImagesRequest} → {@link
   * dev.grove.api.cleanup.CleanupImagesResult}: old version tags of the project's images.
   */
  public static final String CLEANUP_IMAGES = PREFIX + "/cleanup/images";

  /**
   * POST {@link dev.grove.api.cleanup.CleanupNamespaceRequest} → {@link
   * dev.grove.api.cleanup.CleanupNamespaceResult}: the project's app namespace.
   */
  public static final String CLEANUP_NAMESPACE = PREFIX + "/cleanup/namespace";

  /**
   * POST {@link dev.grove.api.render.RenderRequest} → {@link dev.grove.api.render.RenderResult}:
   * what Deploys would apply, without a cluster.
   */
  public static final String RENDER = PREFIX + "/render";

  /**
   * POST {@link dev.grove.api.watch.WatchRequest} → {@link dev.grove.api.watch.WatchInfo}: starts a
   * watch; GET → the watches.
   */
  public static final String WATCHES = PREFIX + "/watches";

  /**
   * GET one watch ({@link dev.grove.api.watch.WatchInfo}); append {@code /stop} (POST) to end it.
   */
  public static String watch(String watchId) {
    return WATCHES + "/" + watchId;
  }

  /**
   * {@code grove logs}: a websocket. The client's first text message is a {@link
   * dev.grove.api.logs.LogsRequest} (the project, Deploy names, follow, since, tail); the daemon
   * answers with {@link dev.grove.api.logs.LogMessage} JSON text messages ({@code line}, {@code
   * gap}, {@code note}, {@code error}) in time order and closes normally (1000) at the end.
   */
  public static final String LOGS = PREFIX + "/logs";

  /**
   * POST {@link dev.grove.api.workflow.WorkflowRequest} → {@link dev.grove.api.run.RunInfo}: runs a
   * Workflow; its events (and those of the runs its command steps start, {@code <runId>.<step
   * number>}) stream under the run id. GET {@code /workflows/<runId>} → {@link
   * dev.grove.api.workflow.WorkflowResult} once finished; POST {@code /workflows/<runId>/cancel}.
   */
  public static final String WORKFLOWS = PREFIX + "/workflows";

  /**
   * POST {@link dev.grove.api.workflow.CommandRequest} → {@link dev.grove.api.run.RunInfo}: runs a
   * custom Command, as a workflow of its {@code exec} and {@code gardenCommand} steps (same events,
   * cancelled through {@link #WORKFLOWS}).
   */
  public static final String COMMANDS = PREFIX + "/commands";

  /**
   * POST {@link dev.grove.api.result.ResultRequest} → {@link dev.grove.api.result.ActionResult}:
   * the last result of a Test or Run ({@code grove get test-result}).
   */
  public static final String RESULTS = PREFIX + "/results";

  /**
   * {@code POST}, with the bearer token only: a one-time dashboard login for the project ({@code
   * grove dashboard}).
   */
  public static final String DASHBOARD_CODE = PREFIX + "/dashboard/code";

  /** {@code GET}, with the dashboard's session cookie: its CSRF token and project. */
  public static final String DASHBOARD_SESSION = PREFIX + "/dashboard/session";

  /** {@code POST} a project request: the action graph laid out for drawing. */
  public static final String DASHBOARD_LAYOUT = PREFIX + "/dashboard/layout";

  /**
   * {@code POST} {@link dev.grove.api.dashboard.ActionRequest}: one action's spec, its templates
   * resolved as far as they can be before a run.
   */
  public static final String DASHBOARD_ACTION = PREFIX + "/dashboard/action";

  /** The dashboard's page; {@code /ui/login?code=} trades a one-time code for a session. */
  public static final String DASHBOARD_PAGE = "/ui/";

  /** The header carrying {@code Bearer <token>}. */
  public static final String AUTHORIZATION = "Authorization";

  private Routes() {}
}
