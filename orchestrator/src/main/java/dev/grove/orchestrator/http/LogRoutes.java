package dev.grove.orchestrator.http;

import dev.grove.actions.kube.LogLines;
import dev.grove.api.error.ApiError;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.http.Routes;
import dev.grove.api.logs.LogMessage;
import dev.grove.api.logs.LogsRequest;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.logs.FollowSession;
import dev.grove.orchestrator.logs.LogItem;
import dev.grove.orchestrator.logs.LogPump;
import dev.grove.orchestrator.logs.LogQueue;
import dev.grove.orchestrator.logs.LogsService;
import dev.grove.orchestrator.logs.TimeMerger;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET} {@link Routes#LOGS}: {@code grove logs} as a websocket. The client's first text
 * message is a {@link LogsRequest}; the daemon answers with {@link LogMessage}s and closes normally
 * at the end (or after an {@code error} message). Following, lines of all pods go through one
 * {@link TimeMerger} per client, held back {@link #HOLD_BACK} so that they leave in the kubelets'
 * time order, and through a bounded {@link LogQueue}, so a slow client gets a {@code gap} and never
 * slows the reads other clients share ({@link LogPump} takes from the queue only what the socket
 * takes).
 */
public final class LogRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(LogRoutes.class);

  /** How long a line waits for older lines of other pods that may still be on their way. */
  public static final Duration HOLD_BACK = Duration.ofMillis(250);

  private static final long TICK_MS = 50;
  private static final long REQUEST_TIMEOUT_MS = 30_000;

  private LogRoutes() {}

  /** The log streams a daemon serves, so that its shutdown can tell their clients why they end. */
  public static final class Open {
    private final java.util.Set<Connection> connections = ConcurrentHashMap.newKeySet();

    /**
     * Closes every stream with 1001 (going away): its client says the daemon went (exit 3) rather
     * than seeing the stream end as if its pods had. Completes when the close frames are out.
     */
    public io.vertx.core.Future<Void> daemonStopping() {
      List<io.vertx.core.Future<Void>> closing = new java.util.ArrayList<>();
      for (Connection connection : List.copyOf(connections)) {
        io.vertx.core.Promise<Void> closed = io.vertx.core.Promise.promise();
        connection.context.runOnContext(ignored -> connection.goingAway().onComplete(closed));
        closing.add(closed.future());
      }
      return io.vertx.core.Future.join(closing).mapEmpty();
    }
  }

  public static Open install(
      Router router, Vertx vertx, LogsService logs, WorkerExecutor workers, Path logFile) {
    ApiFailureHandler failures = new ApiFailureHandler(logFile);
    Open open = new Open();
    router
        .get(Routes.LOGS)
        .handler(
            ctx -> {
              if (!ctx.request().canUpgradeToWebSocket()) {
                ctx.fail(
                    new GroveException(
                        ErrorCodes.BAD_REQUEST,
                        Routes.LOGS + " is a websocket",
                        "Open a websocket on it and send a LogsRequest as the first message."));
                return;
              }
              Context context = vertx.getOrCreateContext();
              ctx.request()
                  .toWebSocket()
                  .onSuccess(
                      ws -> {
                        Connection connection =
                            new Connection(vertx, context, ws, logs, workers, failures);
                        connection.dashboard = ctx.get(DaemonAuth.SESSION);
                        open.connections.add(connection);
                        connection.onStop = () -> open.connections.remove(connection);
                        connection.start();
                      })
                  .onFailure(ctx::fail);
            });
    return open;
  }

  /** One client's stream, on the websocket's context. */
  private static final class Connection {
    private final Vertx vertx;
    private final Context context;
    private final ServerWebSocket ws;
    private final LogsService logs;
    private final WorkerExecutor workers;
    private final ApiFailureHandler failures;
    private final LogPump.Outlet outlet =
        new LogPump.Outlet() {
          @Override
          public boolean full() {
            return ws.writeQueueFull();
          }

          @Override
          public void write(LogItem item) {
            Connection.this.write(item);
          }
        };
    private boolean requested;
    private boolean closed;
    private Runnable onStop = () -> {};
    private long timer = -1;
    private LogQueue queue;
    private LogPump pump;
    private FollowSession session;

    /** The dashboard session the socket was opened with (its project's environment); or null. */
    private dev.grove.orchestrator.dashboard.DashboardSessions.Session dashboard;

    Connection(
        Vertx vertx,
        Context context,
        ServerWebSocket ws,
        LogsService logs,
        WorkerExecutor workers,
        ApiFailureHandler failures) {
      this.vertx = vertx;
      this.context = context;
      this.ws = ws;
      this.logs = logs;
      this.workers = workers;
      this.failures = failures;
    }

    /** The daemon is stopping: 1001, before its follow session ends as if the pods had gone. */
    io.vertx.core.Future<Void> goingAway() {
      io.vertx.core.Future<Void> closing =
          ws.isClosed()
              ? io.vertx.core.Future.succeededFuture()
              : ws.close((short) 1001, "the Grove daemon is stopping");
      stop();
      return closing;
    }

    void start() {
      ws.closeHandler(ignored -> stop());
      ws.exceptionHandler(
          failure -> {
            // e.g. a message over the size limit: tell the client rather than leave it waiting
            if (!ws.isClosed()) {
              ws.close((short) 1011, "the log stream failed");
            }
            stop();
          });
      ws.textMessageHandler(this::request);
      timer =
          vertx.setTimer(
              REQUEST_TIMEOUT_MS,
              id -> {
                if (!requested) {
                  fail(
                      new GroveException(
                          ErrorCodes.BAD_REQUEST,
                          "no LogsRequest within " + REQUEST_TIMEOUT_MS / 1000 + " s",
                          "Send the request as the first text message."));
                }
              });
    }

    private void request(String text) {
      if (requested) {
        return; // nothing more is expected from the client
      }
      requested = true;
      vertx.cancelTimer(timer);
      LogsRequest request;
      try {
        request =
            JsonCodec.readRequest(
                SessionBodies.fill(dashboard, text.getBytes(StandardCharsets.UTF_8)),
                LogsRequest.class);
        if (request.project() == null
            || request.project().cwd() == null
            || request.project().cwd().isBlank()) {
          throw new GroveException(
              ErrorCodes.BAD_REQUEST,
              "the logs request has no project with a cwd",
              "Send {project: {root, cwd, env, ...}, names, follow, sinceSeconds, tail}.");
        }
        if (request.sinceSeconds() != null
            && (request.sinceSeconds() <= 0
                || request.sinceSeconds() > LogsRequest.MAX_SINCE_SECONDS)) {
          throw new GroveException(
              ErrorCodes.BAD_REQUEST,
              "sinceSeconds " + request.sinceSeconds() + " is out of range",
              "Pass 1 to " + LogsRequest.MAX_SINCE_SECONDS + " seconds (100 years), or none.");
        }
        if (request.tail() != null && request.tail() < 0) {
          throw new GroveException(
              ErrorCodes.BAD_REQUEST, "tail is negative", "Pass 0 or more lines.");
        }
      } catch (GroveException e) {
        fail(e);
        return;
      }
      workers
          .executeBlocking(() -> logs.plan(request), false)
          .onComplete(
              planned -> {
                if (planned.failed()) {
                  fail(planned.cause());
                } else if (!closed) {
                  planned.result().notes().forEach(this::write);
                  if (request.follow()) {
                    follow(planned.result(), request);
                  } else {
                    read(planned.result(), request);
                  }
                }
              });
    }

    private void read(LogsService.Plan plan, LogsRequest request) {
      workers
          .executeBlocking(
              () ->
                  logs.read(
                      new LogsService.Plan(plan.targets(), List.of()),
                      request.sinceSeconds(),
                      request.tail()),
              false)
          .onComplete(
              read -> {
                if (read.failed()) {
                  fail(read.cause());
                  return;
                }
                send(read.result().iterator());
              });
    }

    /** Writes a read's items as the socket takes them, then ends. */
    private void send(Iterator<LogItem> items) {
      if (closed || ws.isClosed()) {
        stop();
        return;
      }
      if (LogPump.send(items, outlet)) {
        ws.drainHandler(ignored -> send(items));
      } else {
        end();
      }
    }

    private void follow(LogsService.Plan plan, LogsRequest request) {
      if (plan.targets().isEmpty()) {
        end();
        return;
      }
      queue = new LogQueue(() -> context.runOnContext(ignored -> pump()));
      pump = new LogPump(queue, HOLD_BACK);
      workers
          .executeBlocking(() -> logs.follow(plan, request, queue), false)
          .onComplete(
              followed -> {
                if (followed.failed()) {
                  fail(followed.cause());
                  return;
                }
                session = followed.result();
                if (closed) {
                  closeSession();
                  return;
                }
                timer = vertx.setPeriodic(TICK_MS, id -> pump());
                pump();
              });
    }

    /** Sends what is due while the socket takes more; once it is full, again when it drained. */
    private void pump() {
      if (closed || pump == null) {
        return;
      }
      if (ws.isClosed()) {
        stop();
        return;
      }
      if (pump.pump(outlet, System.nanoTime())) {
        ws.drainHandler(ignored -> pump());
      }
    }

    private void write(LogItem item) {
      if (closed || ws.isClosed()) {
        return;
      }
      Object message;
      if (item instanceof LogItem.Line line) {
        message =
            new LogMessage.Line(
                LogLines.format(line.time()),
                line.action(),
                line.pod(),
                line.container(),
                line.text());
      } else if (item instanceof LogItem.Note note) {
        message = new LogMessage.Note(note.action(), note.pod(), note.message());
      } else {
        message = new LogMessage.Gap(((LogItem.Gap) item).missed());
      }
      ws.writeTextMessage(json(message));
    }

    private void fail(Throwable failure) {
      if (closed) {
        return;
      }
      ApiError error;
      if (failure instanceof GroveException grove) {
        error = grove.error();
      } else {
        LOG.error("grove logs failed", failure);
        error = failures.replyFor(failure, 500).error();
      }
      if (!ws.isClosed()) {
        ws.writeTextMessage(json(new LogMessage.Error(error)));
      }
      end();
    }

    private void end() {
      if (!ws.isClosed()) {
        ws.close((short) 1000);
      }
      stop();
    }

    private void stop() {
      if (closed) {
        return;
      }
      closed = true;
      onStop.run();
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      closeSession();
    }

    private void closeSession() {
      FollowSession open = session;
      session = null;
      if (open != null) {
        // stopping informers and closing reads may block briefly: not on the event loop
        workers.executeBlocking(
            () -> {
              open.close();
              LOG.info(
                  "A grove logs client left; container log reads open: {}", logs.hub().sources());
              return null;
            },
            false);
      }
    }

    private static String json(Object message) {
      return Buffer.buffer(JsonCodec.write(message)).toString(StandardCharsets.UTF_8);
    }
  }
}
