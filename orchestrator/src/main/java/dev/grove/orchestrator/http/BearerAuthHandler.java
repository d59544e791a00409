package dev.grove.orchestrator.http;

import dev.grove.api.error.ErrorCodes;
import dev.grove.api.http.Routes;
import dev.grove.orchestrator.error.GroveException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>}; compares in constant
 * time.
 */
final class BearerAuthHandler implements Handler<RoutingContext> {
  private static final String SCHEME = "Bearer ";

  private final byte[] expected;

  BearerAuthHandler(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the daemon needs a non-empty token");
    }
    this.expected = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (accepts(ctx.request().getHeader(Routes.AUTHORIZATION))) {
      ctx.next();
    } else {
      ctx.fail(
          new GroveException(
              ErrorCodes.UNAUTHORIZED,
              "missing or wrong bearer token",
              "Send 'Authorization: Bearer <token>' with the token from $GROVE_HOME/daemon.json;"
                  + " the grove CLI does this for you."));
    }
  }

  boolean accepts(String header) {
    if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    byte[] given = header.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected);
  }
}
