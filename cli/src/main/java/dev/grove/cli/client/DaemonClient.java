package dev.grove.cli.client;

import dev.grove.api.cleanup.CleanupImagesRequest;
import dev.grove.api.cleanup.CleanupImagesResult;
import dev.grove.api.error.ApiError;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.http.DaemonInfo;
import dev.grove.api.http.Health;
import dev.grove.api.http.Routes;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import dev.grove.api.run.RunInfo;
import dev.grove.api.run.RunRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Talks to one running daemon over HTTP with its bearer token. It uses the JDK's {@link
 * HttpURLConnection}: measured here, a cold {@code java.net.http.HttpClient} costs ~400 ms of the
 * CLI's 500 ms budget (TLS and selector set-up it never needs on loopback), this ~45 ms.
 */
public final class DaemonClient {
  static final int CONNECT_TIMEOUT_MS = 1_000;
  static final int HEALTH_TIMEOUT_MS = 2_000;

  /** How long a broken event stream waits to tell a dead daemon from a broken connection. */
  private static final long GONE_WAIT_MS = 1_000;

  private final DaemonInfo info;

  public DaemonClient(DaemonInfo info) {
    this.info = info;
  }

  public DaemonInfo info() {
    return info;
  }

  public Health health() {
    return health(HEALTH_TIMEOUT_MS);
  }

  /** The health check, waiting at most {@code timeoutMs} for the answer. */
  public Health health(int timeoutMs) {
    return send("GET", Routes.HEALTH, null, timeoutMs, Health.class);
  }

  public ProjectSummary validate(ProjectRequest request) {
    return send("POST", Routes.VALIDATE, request, 0, ProjectSummary.class);
  }

  public ProjectSummary graph(ProjectRequest request) {
    return send("POST", Routes.GRAPH, request, 0, ProjectSummary.class);
  }

  /** A one-time dashboard login for the project. */
  public dev.grove.api.dashboard.DashboardCode dashboardCode(ProjectRequest request) {
    return send(
        "POST", Routes.DASHBOARD_CODE, request, 0, dev.grove.api.dashboard.DashboardCode.class);
  }

  public dev.grove.api.result.ActionResult result(dev.grove.api.result.ResultRequest request) {
    return send("POST", Routes.RESULTS, request, 0, dev.grove.api.result.ActionResult.class);
  }

  public dev.grove.api.render.RenderResult render(dev.grove.api.render.RenderRequest request) {
    return send("POST", Routes.RENDER, request, 0, dev.grove.api.render.RenderResult.class);
  }

  public dev.grove.api.cleanup.CleanupNamespaceResult cleanupNamespace(
      dev.grove.api.cleanup.CleanupNamespaceRequest request) {
    return send(
        "POST",
        Routes.CLEANUP_NAMESPACE,
        request,
        0,
        dev.grove.api.cleanup.CleanupNamespaceResult.class);
  }

  public CleanupImagesResult cleanupImages(CleanupImagesRequest request) {
    return send("POST", Routes.CLEANUP_IMAGES, request, 0, CleanupImagesResult.class);
  }

  public RunInfo startRun(RunRequest request) {
    return send("POST", Routes.RUNS, request, 0, RunInfo.class);
  }

  /** Starts a Workflow ({@code grove workflow NAME}). */
  public RunInfo startWorkflow(dev.grove.api.workflow.WorkflowRequest request) {
    return send("POST", Routes.WORKFLOWS, request, 0, RunInfo.class);
  }

  /** Starts a custom Command ({@code grove run-command NAME}). */
  public RunInfo startCommand(dev.grove.api.workflow.CommandRequest request) {
    return send("POST", Routes.COMMANDS, request, 0, RunInfo.class);
  }

  /** Cancels a workflow or custom command run. */
  public void cancelWorkflow(String runId) {
    send("POST", Routes.WORKFLOWS + "/" + runId + "/cancel", null, HEALTH_TIMEOUT_MS, null);
  }

  public RunInfo run(String runId) {
    return send("GET", Routes.run(runId), null, HEALTH_TIMEOUT_MS, RunInfo.class);
  }

  /** The runs the daemon keeps, oldest first. */
  public List<RunInfo> runs() {
    return list(Routes.RUNS, RunInfo.class);
  }

  /** A GET answering a JSON list of {@code type}. */
  private <T> List<T> list(String route, Class<T> type) {
    Object list = send("GET", route, null, HEALTH_TIMEOUT_MS, Object.class);
    List<T> out = new ArrayList<>();
    if (list instanceof List<?> items) {
      for (Object item : items) {
        out.add(Json.read(Json.write(item), type));
      }
    }
    return out;
  }

  public dev.grove.api.watch.WatchInfo startWatch(dev.grove.api.watch.WatchRequest request) {
    return send("POST", Routes.WATCHES, request, 0, dev.grove.api.watch.WatchInfo.class);
  }

  /** The daemon's watches. */
  public List<dev.grove.api.watch.WatchInfo> watches() {
    return list(Routes.WATCHES, dev.grove.api.watch.WatchInfo.class);
  }

  public dev.grove.api.watch.WatchInfo watch(String watchId) {
    return send(
        "GET", Routes.watch(watchId), null, HEALTH_TIMEOUT_MS, dev.grove.api.watch.WatchInfo.class);
  }

  public void stopWatch(String watchId) {
    send("POST", Routes.watch(watchId) + "/stop", null, HEALTH_TIMEOUT_MS, null);
  }

  public void cancelRun(String runId) {
    send("POST", Routes.run(runId) + "/cancel", null, HEALTH_TIMEOUT_MS, null);
  }

  /**
   * Streams a run's events (NDJSON) from its first one, calling {@code line} with each JSON line
   * until {@code line} answers false or the daemon ends the stream.
   */
  public void events(String runId, long since, Predicate<String> line) {
    String query = "?runId=" + URLEncoder.encode(runId, StandardCharsets.UTF_8) + "&since=" + since;
    try {
      HttpURLConnection connection = open("GET", Routes.EVENTS + query, 0);
      connection.setRequestProperty("Accept", "application/x-ndjson");
      int status = connection.getResponseCode();
      if (status / 100 != 2) {
        byte[] body;
        try (InputStream in = connection.getErrorStream()) {
          body = in == null ? new byte[0] : in.readAllBytes();
        }
        failWith(status, errorOf(status, body));
      }
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
        String next;
        boolean stopped = false;
        while (!stopped && (next = reader.readLine()) != null) {
          stopped = !next.isBlank() && !line.test(next);
        }
        if (!stopped && daemonGone()) {
          throw wentAway(runId, "the stream ended");
        }
      }
      connection.disconnect();
    } catch (IOException e) {
      if (daemonGone()) {
        throw wentAway(runId, describe(e));
      }
      throw lostConnection(
          e,
          runId.startsWith("watch-")
              ? "A watch lives in the daemon: 'grove daemon status' says whether it still runs;"
                  + " if it does, 'grove attach "
                  + runId
                  + "' follows it again, if not, start the watch again."
              : "The run goes on in the daemon: 'grove runs' lists it, 'grove attach RUN'"
                  + " follows it.");
    }
  }

  /**
   * {@code grove logs}: opens the {@link Routes#LOGS} websocket, sends the request and hands each
   * message the daemon sends (JSON text) to {@code message}, until the daemon closes the stream.
   *
   * @throws DaemonUnreachableException when no daemon answers (nothing sent: safe to retry after
   *     starting one) or the connection is lost mid-stream
   */
  public void logs(
      dev.grove.api.logs.LogsRequest request, java.util.function.Consumer<String> message) {
    WebSocketClient ws;
    try {
      ws =
          WebSocketClient.connect(
              "127.0.0.1",
              info.port(),
              Routes.LOGS,
              java.util.Map.of(Routes.AUTHORIZATION, "Bearer " + info.token()),
              CONNECT_TIMEOUT_MS,
              HEALTH_TIMEOUT_MS);
    } catch (WebSocketClient.HandshakeException e) {
      if (e.status() == 401) {
        throw tokenRejected();
      }
      try {
        throw new DaemonErrorException(e.status(), errorOf(e.status(), e.body()));
      } catch (IllegalArgumentException | ClassCastException notJson) {
        throw notGrove(e);
      }
    } catch (IOException e) {
      throw noDaemon(e);
    }
    try (ws) {
      ws.sendText(Json.write(request));
      for (String next = ws.receive(); next != null; next = ws.receive()) {
        message.accept(next);
      }
      RuntimeException abnormal = closedAbnormally(ws.closeCode(), ws.closeReason(), info.port());
      if (abnormal != null) {
        throw abnormal;
      }
    } catch (IOException e) {
      throw lostConnection(e, "See the daemon's log (grove daemon status), then run again.");
    }
  }

  /**
   * What a close other than a normal one means: the daemon going away (1001) or failing (1011, or
   * no code) is the daemon being unreachable (exit 3); a request too large (1009) a bad request;
   * any other code an error. Null for a normal close.
   */
  static RuntimeException closedAbnormally(int code, String reason, int port) {
    if (code == WebSocketClient.NORMAL_CLOSURE) {
      return null;
    }
    String why = "code " + code + (reason == null || reason.isBlank() ? "" : ": " + reason);
    return switch (code) {
      case 1001 ->
          new DaemonUnreachableException(
              "the Grove daemon on 127.0.0.1:"
                  + port
                  + " went away while streaming logs ("
                  + why
                  + ")",
              "It was probably stopped; run the command again (a daemon is started as needed).");
      case 1009 ->
          new DaemonErrorException(
              400,
              ApiError.of(
                  ErrorCodes.BAD_REQUEST,
                  "the daemon refused the logs request as too large (" + why + ")",
                  "Name fewer Deploys, or report this: requests up to 1 MiB should pass."));
      case 1011, WebSocketClient.NO_STATUS, 1006 ->
          new DaemonUnreachableException(
              "the Grove daemon on 127.0.0.1:"
                  + port
                  + " ended the logs stream with an internal error ("
                  + why
                  + ")",
              "See the daemon's log (grove daemon status), then run again.");
      default ->
          new DaemonErrorException(
              500,
              ApiError.of(
                  ErrorCodes.INTERNAL,
                  "the Grove daemon closed the logs stream abnormally (" + why + ")",
                  "See the daemon's log (grove daemon status), then run again."));
    };
  }

  private HttpURLConnection open(String method, String route, int readTimeoutMs)
      throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + info.port() + route)
                .toURL()
                .openConnection(Proxy.NO_PROXY);
    connection.setRequestMethod(method);
    connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
    connection.setReadTimeout(readTimeoutMs);
    connection.setRequestProperty(Routes.AUTHORIZATION, "Bearer " + info.token());
    return connection;
  }

  public void shutdown() {
    send("POST", Routes.SHUTDOWN, null, HEALTH_TIMEOUT_MS, null);
  }

  /**
   * @param readTimeoutMs 0 waits as long as the daemon works (a first load may take a while)
   */
  private <T> T send(String method, String route, Object body, int readTimeoutMs, Class<T> answer) {
    int status;
    byte[] response;
    try {
      HttpURLConnection connection = open(method, route, readTimeoutMs);
      if ("POST".equals(method)) {
        byte[] json = body == null ? new byte[0] : Json.writeBytes(body);
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(json.length);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
          out.write(json);
        }
      }
      status = connection.getResponseCode();
      try (InputStream in =
          status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        response = in == null ? new byte[0] : in.readAllBytes();
      }
    } catch (IOException e) {
      throw noDaemon(e);
    }
    if (status == 401) {
      throw tokenRejected();
    }
    try {
      if (status / 100 != 2) {
        return failWith(status, errorOf(status, response));
      }
      return answer == null ? null : Json.read(response, answer);
    } catch (IllegalArgumentException | ClassCastException e) {
      // Not Grove's JSON: whatever answers on that port is not (this version of) the daemon,
      // e.g. another program took the port of a daemon that died. Safe to start a new one.
      throw notGrove(e);
    }
  }

  private static <T> T failWith(int status, ApiError error) {
    throw new DaemonErrorException(status, error);
  }

  private static ApiError errorOf(int status, byte[] body) {
    ApiError error = body.length == 0 ? null : Json.read(body, ApiError.class);
    if (error == null || error.code() == null) {
      return ApiError.of(ErrorCodes.INTERNAL, "the daemon answered HTTP " + status, null);
    }
    return error;
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : message.lines().findFirst().orElse(message);
  }

  /**
   * Whatever answers on the daemon's port is not (this version of) the daemon, e.g. another program
   * took the port of a daemon that died: safe to start a new one.
   */
  private DaemonUnreachableException notGrove(Exception e) {
    return new DaemonUnreachableException(
            "the process on 127.0.0.1:"
                + info.port()
                + " does not answer as a Grove daemon ("
                + describe(e)
                + ")",
            "Run 'grove daemon stop' to forget it, then run again.")
        .connectionRefused();
  }

  /** The process on the daemon's port does not take daemon.json's token. */
  private DaemonUnreachableException tokenRejected() {
    return new DaemonUnreachableException(
        "the process on 127.0.0.1:" + info.port() + " rejected the token of daemon.json",
        "Another program holds that port, or daemon.json is stale: run 'grove daemon stop'"
            + " or delete daemon.json, then run again.",
        true);
  }

  /**
   * After a stream ended early: whether the daemon is gone or going. A daemon asked to stop (grove
   * daemon stop, its GROVE_HOME removed) closes its server at once but may take seconds to exit
   * (its class archive, its shutdown hooks): one that no longer answers its health check is going
   * too, and what it ran ends with it.
   */
  private boolean daemonGone() {
    if (DaemonConnector.awaitGone(info.pid(), java.time.Duration.ofMillis(GONE_WAIT_MS))) {
      return true;
    }
    try {
      health();
      return false;
    } catch (DaemonUnreachableException | DaemonErrorException e) {
      return true;
    }
  }

  /**
   * The daemon's process ended while a client followed {@code runId} (killed, out of memory, or
   * stopped): what it ran ended with it.
   */
  private DaemonUnreachableException wentAway(String runId, String how) {
    String what = runId.startsWith("watch-") ? "the watch" : "the run";
    return new DaemonUnreachableException(
        "the Grove daemon (pid "
            + info.pid()
            + ") went away during "
            + runId
            + " ("
            + how
            + "): "
            + what
            + " ended with it",
        "daemon.log in GROVE_HOME may say why. Run the command again: a new daemon starts and"
            + " stops what the old one left running.");
  }

  private DaemonUnreachableException lostConnection(IOException e, String suggestion) {
    return new DaemonUnreachableException(
        "lost the connection to the Grove daemon on 127.0.0.1:"
            + info.port()
            + " ("
            + describe(e)
            + ")",
        suggestion);
  }

  /** Nothing answers on the daemon's port (refused: a new daemon may be started). */
  private DaemonUnreachableException noDaemon(IOException e) {
    if (e instanceof java.net.SocketTimeoutException && !(e instanceof java.net.ConnectException)) {
      // it took the connection but not answered: alive and busy, not absent
      return new DaemonUnreachableException(
          "the Grove daemon (pid "
              + info.pid()
              + ") is busy: it did not answer on 127.0.0.1:"
              + info.port()
              + " in time ("
              + describe(e)
              + ")",
          "Wait for it and run again; 'grove daemon status' says whether it answers, 'grove"
              + " daemon stop' stops it.");
    }
    DaemonUnreachableException unreachable =
        new DaemonUnreachableException(
            "no Grove daemon answers on 127.0.0.1:" + info.port() + " (" + describe(e) + ")",
            "Run 'grove daemon start'.");
    return e instanceof java.net.ConnectException ? unreachable.connectionRefused() : unreachable;
  }
}
