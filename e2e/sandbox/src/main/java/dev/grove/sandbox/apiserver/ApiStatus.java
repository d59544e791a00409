package dev.grove.sandbox.apiserver;

import io.fabric8.mockwebserver.http.MockResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The failures this API answers as a real API server does, with a {@code v1 Status} body: a body in
 * a media type it does not read (415, so that a client tries another), and any failure while
 * handling a request (500): every request gets an answer, none is left to its client's timeout.
 */
final class ApiStatus {

  /**
   * What POST, PUT and DELETE bodies may be in; protobuf only for the kinds {@link ProtobufBody}
   * reads (others get a 415 once the body is read).
   */
  private static final List<String> BODY_TYPES =
      List.of("application/json", "application/yaml", ProtobufBody.MEDIA_TYPE);

  private static final List<String> PATCH_TYPES =
      List.of(
          "application/json-patch+json",
          ClusterDispatcher.MERGE_PATCH,
          ClusterDispatcher.STRATEGIC_MERGE_PATCH,
          ClusterDispatcher.APPLY_PATCH);

  private static final Set<HttpMethod> WITHOUT_BODY =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private ApiStatus() {}

  /**
   * The 415 {@code Status} for a request whose body is in a media type this API does not read, as
   * the API server words it; empty when it reads it or the request names none (the API server then
   * takes JSON).
   */
  static Optional<String> unsupportedMediaType(HttpMethod method, String contentType) {
    if (WITHOUT_BODY.contains(method) || contentType == null || contentType.isBlank()) {
      return Optional.empty();
    }
    String type = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    List<String> accepted = method == HttpMethod.PATCH ? PATCH_TYPES : BODY_TYPES;
    if (accepted.contains(type)) {
      return Optional.empty();
    }
    return Optional.of(
        failure(
            415,
            "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: "
                + String.join(", ", accepted)));
  }

  /** The 500 {@code Status} for a failure while handling a request. */
  static String internalError(Throwable failure) {
    return failure(500, "InternalError", "Internal error occurred: " + failure);
  }

  /** {@link #internalError} as the mock server's answer. */
  static MockResponse internalErrorResponse(Throwable failure) {
    return new MockResponse()
        .setResponseCode(500)
        .addHeader("Content-Type", "application/json")
        .setBody(internalError(failure));
  }

  /** A {@code v1 Status} of a failure. */
  static String failure(int code, String reason, String message) {
    return failure(code, reason, message, Map.of());
  }

  /** A {@code v1 Status} of a failure, with {@code details} (name, group, kind) when not empty. */
  static String failure(int code, String reason, String message, Map<String, Object> details) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("metadata", Map.of());
    status.put("status", "Failure");
    status.put("message", message);
    if (!reason.isEmpty()) {
      status.put("reason", reason);
    }
    if (!details.isEmpty()) {
      status.put("details", details);
    }
    status.put("code", code);
    return Json.write(status);
  }

  /**
   * Answers {@code request} with {@code code} and a {@code Status} body; when its answer has begun
   * (a watch or a followed log), ends it instead, so that its client sees the stream end.
   */
  static void send(HttpServerRequest request, int code, String body) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.end();
      return;
    }
    response.setStatusCode(code).putHeader("Content-Type", "application/json").end(body);
  }
}
