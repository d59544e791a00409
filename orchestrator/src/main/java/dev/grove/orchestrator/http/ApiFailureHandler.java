package dev.grove.orchestrator.http;

import dev.grove.api.error.ApiError;
import dev.grove.api.error.ErrorCodes;
import dev.grove.orchestrator.error.GroveException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses: every error is an {@link ApiError} JSON body,
 * and every error code has its HTTP status here. Stack traces go to the log, never to the client.
 */
final class ApiFailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiFailureHandler.class);

  /** A status and the body to send with it. */
  record Reply(int status, ApiError error) {}

  private final Path logFile;

  ApiFailureHandler(Path logFile) {
    this.logFile = logFile;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Reply reply = replyFor(ctx.failure(), ctx.statusCode());
    if (!(ctx.failure() instanceof GroveException) && reply.status() >= 500) {
      LOG.error(
          "{} {} failed: a bug in Grove",
          ctx.request().method(),
          ctx.request().path(),
          ctx.failure());
    } else if (reply.status() >= 500) {
      // A GroveException is a report for the user, not a bug: no stack trace.
      LOG.warn(
          "{} {} -> {}: {}",
          ctx.request().method(),
          ctx.request().path(),
          reply.status(),
          reply.error().message());
    } else {
      LOG.debug("{} {} -> {}", ctx.request().method(), ctx.request().path(), reply.status());
    }
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // Too late for a proper answer; cutting the connection tells the client something broke.
      response.reset();
      return;
    }
    response.setStatusCode(reply.status()).putHeader("Content-Type", "application/json");
    if (reply.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.end(Buffer.buffer(JsonCodec.write(reply.error())));
  }

  Reply replyFor(Throwable failure, int statusCode) {
    if (failure instanceof GroveException grove) {
      return new Reply(statusOf(grove.error().code()), grove.error());
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : statusCode;
    if (failure == null || failure instanceof HttpException) {
      if (status == 413) {
        return new Reply(
            413,
            ApiError.of(
                ErrorCodes.BAD_REQUEST,
                "the request body is larger than "
                    + (DaemonVerticle.BODY_LIMIT_BYTES >> 20)
                    + " MiB",
                "Send a smaller request."));
      }
      if (status == 404 || status == 405) {
        return new Reply(404, notFound());
      }
      if (status >= 400 && status < 500) {
        return new Reply(
            400, ApiError.of(ErrorCodes.BAD_REQUEST, "the request is malformed", "Check it."));
      }
    }
    return new Reply(500, internal());
  }

  static ApiError notFound() {
    return ApiError.of(
        ErrorCodes.NOT_FOUND,
        "no such route",
        "Routes live under /api/v1; check that the client and the daemon are the same version.");
  }

  private ApiError internal() {
    return ApiError.of(
        ErrorCodes.INTERNAL,
        "an unexpected error in the Grove daemon; this is a bug in Grove",
        "The details are in " + logFile + "; please report them.");
  }

  /** The HTTP status of each error code. */
  static int statusOf(String code) {
    return switch (code) {
      case ErrorCodes.BAD_REQUEST, ErrorCodes.UNKNOWN_ACTION, ErrorCodes.ACTION_DISABLED -> 400;
      case ErrorCodes.UNAUTHORIZED -> 401;
      case ErrorCodes.FORBIDDEN -> 403;
      case ErrorCodes.PROJECT_NOT_FOUND, ErrorCodes.NOT_FOUND, ErrorCodes.NO_RESULT -> 404;
      case ErrorCodes.CONFIG_INVALID -> 422;
      // a registry or cloud API failed: the daemon is fine, what it talked to was not
      default ->
          code.startsWith("REGISTRY_") || code.startsWith("AR_") || code.startsWith("KUBE_")
              ? 502
              : 500;
    };
  }
}
