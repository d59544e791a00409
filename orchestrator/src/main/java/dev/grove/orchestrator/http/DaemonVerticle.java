package dev.grove.orchestrator.http;

import dev.grove.actions.kube.KubeClients;
import dev.grove.api.cleanup.CleanupImagesRequest;
import dev.grove.api.cleanup.CleanupNamespaceRequest;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.http.Health;
import dev.grove.api.http.Routes;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import dev.grove.api.render.RenderRequest;
import dev.grove.api.run.RunInfo;
import dev.grove.api.run.RunRequest;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.events.EventBus;
import dev.grove.orchestrator.logs.LogsService;
import dev.grove.orchestrator.project.ImageCleanupService;
import dev.grove.orchestrator.project.NamespaceService;
import dev.grove.orchestrator.project.ProjectService;
import dev.grove.orchestrator.project.RenderService;
import dev.grove.orchestrator.router.ActionRouter;
import dev.grove.orchestrator.solver.Runs;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The daemon's REST API (routes in {@link Routes}). Every route needs the bearer token; project
 * work runs on the {@value #WORKER_POOL} worker pool, never on the event loop; every failure goes
 * through one {@link ApiFailureHandler}.
 */
public final class DaemonVerticle extends VerticleBase {
  public static final int BODY_LIMIT_BYTES = 1 << 20;
  static final String WORKER_POOL = "grove-projects";

  /** Opens and closes of pod log reads (each blocks until the API server answers). */
  static final String LOG_POOL = "grove-logs";

  /**
   * Health, the runs and watches lists, cancel and stop: short calls that must answer while loads
   * and runs fill {@value #WORKER_POOL} (issue 12.2), so they never queue behind those.
   */
  static final String CONTROL_POOL = "grove-control";

  private static final int CONTROL_POOL_SIZE = 2;

  private static final int WORKER_POOL_SIZE = 4;

  /**
   * @param host the address to listen on; the daemon uses 127.0.0.1 only
   * @param port 0 for a free port
   * @param logFile named in INTERNAL errors so users know where the details are
   */
  public record Settings(String host, int port, String token, String buildId, Path logFile) {
    public Settings {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(buildId, "buildId");
      Objects.requireNonNull(logFile, "logFile");
    }
  }

  private final Settings settings;
  private final ProjectService projects;
  private final ActionRouter actionRouter;
  private final KubeClients clients;
  private final Runs runs;
  private final EventBus events;
  private final Runnable onShutdown;
  private final ImageCleanupService imageCleanup;
  private final long startedAt = System.currentTimeMillis();
  private final dev.grove.orchestrator.dashboard.DashboardSessions dashboard =
      new dev.grove.orchestrator.dashboard.DashboardSessions(java.time.Clock.systemUTC());
  private WorkerExecutor workers;
  private WorkerExecutor control;
  private WorkerExecutor logWorkers;
  private HttpServer server;
  private dev.grove.orchestrator.watch.Watches watches;
  private LogRoutes.Open openLogs;

  private dev.grove.orchestrator.workflow.Workflows workflows;

  /**
   * Serves the workflow and custom command routes ({@link Routes#WORKFLOWS}, {@link
   * Routes#COMMANDS}).
   */
  public DaemonVerticle withWorkflows(dev.grove.orchestrator.workflow.Workflows workflows) {
    this.workflows = workflows;
    return this;
  }

  /** Serves the watch routes ({@link Routes#WATCHES}) with these watches. */
  public DaemonVerticle withWatches(dev.grove.orchestrator.watch.Watches watches) {
    this.watches = watches;
    return this;
  }

  /**
   * @param router where render and logs requests go, by action type
   * @param clients the daemon's cluster clients (namespace cleanup)
   * @param runs the run service; null serves no run routes
   * @param events the event bus; null serves no event stream
   * @param imageCleanup serves {@link Routes#CLEANUP_IMAGES}; null serves no cleanup route
   * @param onShutdown runs once the answer to {@link Routes#SHUTDOWN} is sent; it stops the daemon
   */
  public DaemonVerticle(
      Settings settings,
      ProjectService projects,
      ActionRouter router,
      KubeClients clients,
      Runs runs,
      EventBus events,
      ImageCleanupService imageCleanup,
      Runnable onShutdown) {
    this.imageCleanup = imageCleanup;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.projects = Objects.requireNonNull(projects, "projects");
    this.actionRouter = Objects.requireNonNull(router, "router");
    this.clients = Objects.requireNonNull(clients, "clients");
    this.runs = runs;
    this.events = events;
    this.onShutdown = Objects.requireNonNull(onShutdown, "onShutdown");
  }

  @Override
  public Future<?> start() {
    workers = vertx.createSharedWorkerExecutor(WORKER_POOL, WORKER_POOL_SIZE);
    control = vertx.createSharedWorkerExecutor(CONTROL_POOL, CONTROL_POOL_SIZE);
    Router router = Router.router(vertx);
    // Authenticate before reading a body, so strangers cannot make the daemon buffer anything.
    router.route().handler(new DaemonAuth(settings.token(), dashboard));
    router.route().handler(bodyHandler());
    router.get(Routes.HEALTH).handler(this::health);
    installDashboard(router);
    router.post(Routes.SHUTDOWN).handler(this::shutdown);
    router.post(Routes.VALIDATE).handler(ctx -> project(ctx, projects::validate));
    router.post(Routes.GRAPH).handler(ctx -> project(ctx, projects::graph));
    if (imageCleanup != null) {
      projectRoute(
          router,
          Routes.CLEANUP_IMAGES,
          CleanupImagesRequest.class,
          CleanupImagesRequest::project,
          imageCleanup::cleanup);
    }
    projectRoute(
        router,
        Routes.CLEANUP_NAMESPACE,
        CleanupNamespaceRequest.class,
        CleanupNamespaceRequest::project,
        new NamespaceService(projects, clients)::cleanup);
    projectRoute(
        router,
        Routes.RENDER,
        RenderRequest.class,
        RenderRequest::project,
        new RenderService(projects, actionRouter)::render);
    projectRoute(
        router,
        Routes.RESULTS,
        dev.grove.api.result.ResultRequest.class,
        dev.grove.api.result.ResultRequest::project,
        new dev.grove.orchestrator.project.ResultService(projects, actionRouter)::result);
    if (runs != null) {
      router.post(Routes.RUNS).handler(this::startRun);
      router.get(Routes.RUNS).handler(ctx -> answerNow(ctx, runs::list));
      router.get(Routes.RUNS + "/:runId").handler(ctx -> answerNow(ctx, () -> run(ctx)));
      router
          .post(Routes.RUNS + "/:runId/cancel")
          .handler(
              ctx ->
                  answerNow(
                      ctx,
                      () -> {
                        run(ctx);
                        runs.cancel(ctx.pathParam("runId"));
                        return Map.of("cancelled", true);
                      }));
    }
    if (watches != null) {
      dev.grove.orchestrator.watch.Watches served = watches;
      projectRoute(
          router,
          Routes.WATCHES,
          dev.grove.api.watch.WatchRequest.class,
          request -> request.run() == null ? null : request.run().project(),
          served::start);
      router.get(Routes.WATCHES).handler(ctx -> answerNow(ctx, served::list));
      router
          .get(Routes.WATCHES + "/:watchId")
          .handler(ctx -> answerNow(ctx, () -> watch(ctx, served)));
      router
          .post(Routes.WATCHES + "/:watchId/stop")
          .handler(
              ctx ->
                  answerNow(
                      ctx,
                      () -> {
                        watch(ctx, served);
                        served.stop(ctx.pathParam("watchId"));
                        return Map.of("stopped", true);
                      }));
    }
    if (workflows != null) {
      installWorkflows(router, workflows);
    }
    if (events != null) {
      EventRoutes.install(router, vertx, events);
    }
    logWorkers = vertx.createSharedWorkerExecutor(LOG_POOL, WORKER_POOL_SIZE);
    openLogs =
        LogRoutes.install(
            router,
            vertx,
            new LogsService(
                projects,
                actionRouter,
                task ->
                    logWorkers.executeBlocking(
                        () -> {
                          task.run();
                          return null;
                        },
                        false),
                (delay, task) -> vertx.setTimer(Math.max(1, delay.toMillis()), id -> task.run())),
            workers,
            settings.logFile());
    router.route().handler(ctx -> ctx.fail(new GroveException(ApiFailureHandler.notFound())));
    router.route().failureHandler(new ApiFailureHandler(settings.logFile()));

    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                // a websocket request (grove logs' LogsRequest carries the client's environment)
                // may be as large as an HTTP body; clients send it in frames of up to 64 KiB
                .setMaxWebSocketMessageSize(BODY_LIMIT_BYTES)
                .setMaxWebSocketFrameSize(64 << 10));
    return server.requestHandler(router).listen();
  }

  /**
   * Reads request bodies (up to {@link #BODY_LIMIT_BYTES}), except a websocket upgrade's: a client
   * that sends {@code Content-Length: 0} with its upgrade (the JDK's) would otherwise have the
   * request read before the route upgrades it, which then fails ("Request has already been read").
   */
  public static io.vertx.core.Handler<RoutingContext> bodyHandler() {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES);
    return ctx -> {
      if (ctx.request().canUpgradeToWebSocket()) {
        ctx.next();
      } else {
        body.handle(ctx);
      }
    };
  }

  /**
   * Tells the clients of open streams that the daemon is stopping (logs: close 1001), before it
   * does; at most a second.
   */
  public Future<Void> stopping() {
    return openLogs == null
        ? Future.succeededFuture()
        : openLogs
            .daemonStopping()
            .timeout(1, java.util.concurrent.TimeUnit.SECONDS)
            .recover(late -> Future.succeededFuture());
  }

  @Override
  public Future<?> stop() {
    if (logWorkers != null) {
      logWorkers.close();
    }
    if (control != null) {
      control.close();
    }
    return workers == null ? Future.succeededFuture() : workers.close();
  }

  /** The port the server listens on (useful when {@link Settings#port()} is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void health(RoutingContext ctx) {
    long pid = ProcessHandle.current().pid();
    answerNow(
        ctx,
        () ->
            new Health(
                "ok",
                pid,
                settings.buildId(),
                System.currentTimeMillis() - startedAt,
                projects.loadedProjects()));
  }

  private void shutdown(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(JsonCodec.write(Map.of("status", "stopping"))))
        .onComplete(ignored -> onShutdown.run());
  }

  private void project(RoutingContext ctx, Function<ProjectRequest, ProjectSummary> call) {
    byte[] bytes = bodyOf(ctx);
    answer(ctx, () -> call.apply(checked(JsonCodec.readRequest(bytes, ProjectRequest.class))));
  }

  private void installWorkflows(Router router, dev.grove.orchestrator.workflow.Workflows served) {
    projectRoute(
        router,
        Routes.WORKFLOWS,
        dev.grove.api.workflow.WorkflowRequest.class,
        dev.grove.api.workflow.WorkflowRequest::project,
        served::start);
    projectRoute(
        router,
        Routes.COMMANDS,
        dev.grove.api.workflow.CommandRequest.class,
        dev.grove.api.workflow.CommandRequest::project,
        served::start);
    router
        .get(Routes.WORKFLOWS + "/:runId")
        .handler(
            ctx ->
                answerNow(
                    ctx,
                    () -> {
                      String id = ctx.pathParam("runId");
                      var result = served.result(id).orElseThrow(() -> noWorkflow(id));
                      return result.isDone() ? result.join() : served.get(id).orElseThrow();
                    }));
    router
        .post(Routes.WORKFLOWS + "/:runId/cancel")
        .handler(
            ctx ->
                answerNow(
                    ctx,
                    () -> {
                      String id = ctx.pathParam("runId");
                      if (!served.cancel(id)) {
                        throw noWorkflow(id);
                      }
                      return Map.of("cancelled", true);
                    }));
  }

  private static GroveException noWorkflow(String id) {
    return new GroveException(
        ErrorCodes.NOT_FOUND,
        "There is no workflow run " + id + " (the daemon keeps the last 100).",
        "Start it again with 'grove workflow NAME'.");
  }

  private static dev.grove.api.watch.WatchInfo watch(
      RoutingContext ctx, dev.grove.orchestrator.watch.Watches served) {
    String id = ctx.pathParam("watchId");
    return served
        .get(id)
        .orElseThrow(
            () ->
                new GroveException(
                    ErrorCodes.NOT_FOUND,
                    "No watch " + id + " in this daemon.",
                    "`grove runs` lists the runs; a stopped watch is gone."));
  }

  private void startRun(RoutingContext ctx) {
    byte[] bytes = bodyOf(ctx);
    answer(
        ctx,
        () -> {
          RunRequest request = JsonCodec.readRequest(bytes, RunRequest.class);
          if (request.project() == null) {
            throw new GroveException(
                ErrorCodes.BAD_REQUEST,
                "the run request has no project",
                "Send {project: {root, cwd, env, ...}, command, names, ...}.");
          }
          checked(request.project());
          return runs.start(request);
        });
  }

  /**
   * A POST route whose body names a project: read as {@code type}, the project's cwd checked, then
   * {@code call} on the worker pool.
   */
  private <T> void projectRoute(
      Router router,
      String route,
      Class<T> type,
      Function<T, ProjectRequest> project,
      Function<T, Object> call) {
    router
        .post(route)
        .handler(
            ctx -> {
              byte[] bytes = bodyOf(ctx);
              answer(
                  ctx,
                  () -> {
                    T request = JsonCodec.readRequest(bytes, type);
                    if (project.apply(request) == null) {
                      throw new GroveException(
                          ErrorCodes.BAD_REQUEST,
                          "the request has no project",
                          "Send {project: {root, cwd, env, ...}, ...} as docs/API.md shows.");
                    }
                    checked(project.apply(request));
                    return call.apply(request);
                  });
            });
  }

  /** The request's body; a dashboard session's project gets the session's environment. */
  private static byte[] bodyOf(RoutingContext ctx) {
    RequestBody body = ctx.body();
    byte[] bytes = body == null || body.buffer() == null ? null : body.buffer().getBytes();
    return SessionBodies.fill(ctx.get(DaemonAuth.SESSION), bytes);
  }

  /**
   * The dashboard: its one-time codes (for the CLI), its session, the laid-out graph and the page
   * itself ({@code /ui/}, static files from the daemon's jar; {@code /ui/login} trades a code for
   * the session cookie).
   */
  private void installDashboard(Router router) {
    router
        .post(Routes.DASHBOARD_CODE)
        .handler(
            ctx -> {
              if (ctx.get(DaemonAuth.SESSION) != null) {
                ctx.fail(
                    new GroveException(
                        ErrorCodes.FORBIDDEN,
                        "a dashboard session cannot open other sessions",
                        "Run `grove dashboard` for a login link."));
                return;
              }
              byte[] bytes = bodyOf(ctx);
              answerNow(
                  ctx,
                  () -> {
                    ProjectRequest asked =
                        checked(JsonCodec.readRequest(bytes, ProjectRequest.class));
                    // a folder without a project fails here, not on the page
                    ProjectRequest request =
                        new ProjectRequest(
                            dev.grove.orchestrator.project.DefaultProjectService.resolveRoot(asked)
                                .toString(),
                            asked.cwd(),
                            asked.environment(),
                            asked.vars(),
                            asked.env());
                    String code = dashboard.code(request);
                    preload(request);
                    return new dev.grove.api.dashboard.DashboardCode(
                        code,
                        DaemonAuth.UI + "/login?code=" + code,
                        dev.grove.orchestrator.dashboard.DashboardSessions.CODE_TTL.toSeconds());
                  });
            });
    router
        .get(Routes.DASHBOARD_SESSION)
        .handler(
            ctx -> {
              dev.grove.orchestrator.dashboard.DashboardSessions.Session session =
                  ctx.get(DaemonAuth.SESSION);
              if (session == null) {
                ctx.fail(
                    new GroveException(
                        ErrorCodes.BAD_REQUEST,
                        Routes.DASHBOARD_SESSION + " is the dashboard page's",
                        "Open the page `grove dashboard` prints."));
                return;
              }
              ProjectRequest project = session.project();
              answerNow(
                  ctx,
                  () ->
                      new dev.grove.api.dashboard.DashboardSession(
                          session.csrf(),
                          new ProjectRequest(
                              project.root(),
                              project.cwd(),
                              project.environment(),
                              project.vars(),
                              Map.of())));
            });
    projectRoute(
        router,
        Routes.DASHBOARD_LAYOUT,
        ProjectRequest.class,
        request -> request,
        request -> {
          awaitPreload(request);
          ProjectSummary summary = projects.graph(request);
          Map<String, Object> answer = new java.util.LinkedHashMap<>();
          answer.put("project", summary.project());
          answer.put("environment", summary.environment());
          answer.put("actions", summary.actions());
          answer.put("warnings", summary.warnings());
          answer.put(
              "notActedOn",
              dev.grove.orchestrator.dashboard.NotActedOn.byAction(
                  projects.load(request), summary.warnings()));
          answer.put(
              "layout", dev.grove.orchestrator.dashboard.GraphLayout.cached(summary.actions()));
          return answer;
        });
    projectRoute(
        router,
        Routes.DASHBOARD_ACTION,
        dev.grove.api.dashboard.ActionRequest.class,
        dev.grove.api.dashboard.ActionRequest::project,
        request -> {
          var project = projects.load(request.project());
          var ref = dev.grove.api.action.ActionRef.parse(String.valueOf(request.ref()));
          var action = ref.map(r -> project.actions().get(r)).orElse(null);
          if (action == null) {
            throw new GroveException(
                ErrorCodes.UNKNOWN_ACTION,
                "the project has no action " + request.ref(),
                "Name one of the graph's actions, such as deploy.web.");
          }
          return Map.of("ref", action.config().ref().toString(), "spec", action.spec());
        });
    router
        .get(DaemonAuth.UI)
        .handler(
            ctx -> {
              if (ctx.request().path().equals(DaemonAuth.UI)) {
                ctx.redirect(Routes.DASHBOARD_PAGE);
              } else {
                ctx.next(); // vert.x matches /ui/ here too: the page itself
              }
            });
    router.get(DaemonAuth.UI + "/login").handler(this::login);
    router
        .get(DaemonAuth.UI + "/*")
        .handler(
            io.vertx.ext.web.handler.StaticHandler.create("dashboard")
                .setCachingEnabled(false)
                .setDirectoryListing(false));
  }

  /** The projects being loaded and laid out for a page about to open, by root. */
  private final java.util.Map<String, java.util.concurrent.CompletableFuture<Void>> preloading =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The page asks for the project's layout within seconds of {@code grove dashboard}: load the
   * project and lay it out now, once per root at a time.
   */
  private void preload(ProjectRequest request) {
    java.util.concurrent.CompletableFuture<Void> done =
        new java.util.concurrent.CompletableFuture<>();
    if (preloading.putIfAbsent(request.root(), done) != null) {
      return;
    }
    workers.executeBlocking(
        () -> {
          try {
            dev.grove.orchestrator.dashboard.GraphLayout.warm();
            dev.grove.orchestrator.dashboard.GraphLayout.cached(projects.graph(request).actions());
          } catch (RuntimeException e) {
            // the page asks again and shows what is wrong
          } finally {
            preloading.remove(request.root(), done);
            done.complete(null);
          }
          return null;
        },
        false);
  }

  /**
   * Waits (a little) for a preload of the project the page asks for, rather than doing it twice.
   */
  private void awaitPreload(ProjectRequest request) {
    var pending = preloading.get(request.root());
    if (pending != null) {
      try {
        pending.get(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // then it loads on its own
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Trades the one-time code for the session cookie, then shows the page without the code. */
  private void login(RoutingContext ctx) {
    var session = dashboard.redeem(ctx.request().getParam("code"));
    if (session.isEmpty()) {
      ctx.response()
          .setStatusCode(401)
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .end(
              "<!doctype html><title>Grove</title><h1>This login link was used or has expired</h1>"
                  + "<p>Run <code>grove dashboard</code> again for a new one.</p>");
      return;
    }
    ctx.response()
        .addCookie(
            io.vertx.core.http.Cookie.cookie(DaemonAuth.COOKIE, session.get().id())
                .setHttpOnly(true)
                .setSameSite(io.vertx.core.http.CookieSameSite.STRICT)
                .setPath("/"))
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .setStatusCode(303)
        .putHeader("Location", Routes.DASHBOARD_PAGE)
        .end();
  }

  /**
   * Every project request carries the client's working directory; paths hold no NUL byte (no file
   * system takes one) and {@code --var} names follow the CLI's rule.
   */
  static ProjectRequest checked(ProjectRequest request) {
    if (request.cwd() == null || request.cwd().isBlank()) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST,
          "the request has no cwd",
          "Send the client's working directory as 'cwd'.");
    }
    for (String[] field : new String[][] {{"root", request.root()}, {"cwd", request.cwd()}}) {
      if (field[1] != null && field[1].indexOf('\0') >= 0) {
        throw new GroveException(
            ErrorCodes.BAD_REQUEST,
            "the request's " + field[0] + " holds a NUL byte",
            "Send a path without NUL bytes.");
      }
    }
    for (String name : request.vars().keySet()) {
      String problem = ProjectRequest.varNameProblem(name);
      if (problem != null) {
        throw new GroveException(
            ErrorCodes.BAD_REQUEST,
            "--var " + name + ": " + problem,
            "Write it as --var name=value, or --var parent.child=value for a nested variable.");
      }
    }
    return request;
  }

  private RunInfo run(RoutingContext ctx) {
    String runId = ctx.pathParam("runId");
    return runs.get(runId)
        .orElseThrow(
            () ->
                new GroveException(
                    ErrorCodes.NOT_FOUND,
                    "There is no run " + runId + " (the daemon keeps the last 100).",
                    "List the runs with 'grove runs'."));
  }

  /** Runs {@code work} on the worker pool and answers its value as JSON, or fails the route. */
  private void answer(RoutingContext ctx, Callable<Object> work) {
    answerOn(workers, ctx, work);
  }

  /** As {@link #answer}, on the {@value #CONTROL_POOL} pool: for short calls that never load. */
  private void answerNow(RoutingContext ctx, Callable<Object> work) {
    answerOn(control, ctx, work);
  }

  private static void answerOn(WorkerExecutor pool, RoutingContext ctx, Callable<Object> work) {
    pool.executeBlocking(() -> Buffer.buffer(JsonCodec.write(work.call())), false)
        .onSuccess(json -> ctx.response().putHeader("Content-Type", "application/json").end(json))
        .onFailure(ctx::fail);
  }
}
