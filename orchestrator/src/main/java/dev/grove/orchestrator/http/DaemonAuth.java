package dev.grove.orchestrator.http;

import dev.grove.api.error.ErrorCodes;
import dev.grove.api.http.Routes;
import dev.grove.orchestrator.dashboard.DashboardSessions;
import dev.grove.orchestrator.error.GroveException;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may call the daemon: the CLI with the bearer token, or the dashboard page with its session
 * cookie. A cookie alone proves little (the browser sends it for any page that makes it call), so a
 * cookie request must also come to this daemon's own address ({@code Host}: no DNS rebinding), from
 * the dashboard's own page ({@code Origin}, when the browser sends one: no cross-site fetch or
 * websocket), and, when it changes anything, carry the session's CSRF token. The dashboard's own
 * pages ({@code /ui/}) pass with the Host check only: they hold no data.
 */
final class DaemonAuth implements Handler<RoutingContext> {
  /** The session cookie's name. */
  static final String COOKIE = "grove_session";

  /** The header a dashboard request that changes something carries its CSRF token in. */
  static final String CSRF_HEADER = "X-Grove-CSRF";

  /** Where the handler leaves the request's dashboard session, for the routes. */
  static final String SESSION = "grove.dashboard.session";

  /** The dashboard's pages. */
  static final String UI = "/ui";

  private final BearerAuthHandler bearer;
  private final DashboardSessions sessions;

  DaemonAuth(String token, DashboardSessions sessions) {
    this.bearer = new BearerAuthHandler(token);
    this.sessions = sessions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = ctx.normalizedPath();
    if (path.equals(UI) || path.startsWith(UI + "/")) {
      if (!ownHost(request)) {
        ctx.fail(foreignHost(request));
        return;
      }
      ctx.next();
      return;
    }
    String authorization = request.getHeader(Routes.AUTHORIZATION);
    if (authorization != null) {
      bearer.handle(ctx); // a wrong token is wrong, whatever cookie comes with it
      return;
    }
    Cookie cookie = request.getCookie(COOKIE);
    Optional<DashboardSessions.Session> session =
        sessions.session(cookie == null ? null : cookie.getValue());
    if (session.isEmpty()) {
      bearer.handle(ctx); // fails as without a token
      return;
    }
    if (!ownHost(request)) {
      ctx.fail(foreignHost(request));
      return;
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !origin.equals("http://" + request.getHeader("Host"))) {
      ctx.fail(
          new GroveException(
              ErrorCodes.FORBIDDEN,
              "a dashboard request from another site (Origin " + origin + ")",
              "Open the dashboard from `grove dashboard`; other pages may not use its session."));
      return;
    }
    boolean reads = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
    if (!reads && !same(request.getHeader(CSRF_HEADER), session.get().csrf())) {
      ctx.fail(
          new GroveException(
              ErrorCodes.FORBIDDEN,
              "a dashboard request that changes something without the session's CSRF token",
              "Send the token of " + Routes.DASHBOARD_SESSION + " in " + CSRF_HEADER + "."));
      return;
    }
    ctx.put(SESSION, session.get());
    ctx.next();
  }

  /**
   * Whether {@code Host} names this daemon's own loopback address and port: a page of another name
   * that resolves to 127.0.0.1 (DNS rebinding) sends its own name.
   */
  static boolean ownHost(HttpServerRequest request) {
    String host = request.getHeader("Host");
    int port = request.localAddress() == null ? -1 : request.localAddress().port();
    return host != null
        && (host.equals("127.0.0.1:" + port)
            || host.equals("localhost:" + port)
            || host.equals("[::1]:" + port));
  }

  private static GroveException foreignHost(HttpServerRequest request) {
    return new GroveException(
        ErrorCodes.FORBIDDEN,
        "a request for host " + request.getHeader("Host") + ", which is not this daemon's address",
        "Open the dashboard at the address `grove dashboard` prints (127.0.0.1 and the daemon's"
            + " port).");
  }

  private static boolean same(String given, String expected) {
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
