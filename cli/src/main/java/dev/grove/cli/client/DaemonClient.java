package dev.grove.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.grove.api.error.ApiError;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.http.DaemonInfo;
import dev.grove.api.http.Health;
import dev.grove.api.http.Routes;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks to one running daemon over HTTP with its bearer token. */
public final class DaemonClient {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

  private final DaemonInfo info;
  private final HttpClient http;

  public DaemonClient(DaemonInfo info, HttpClient http) {
    this.info = info;
    this.http = http;
  }

  public static HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
  }

  public DaemonInfo info() {
    return info;
  }

  public Health health() {
    return send(request(Routes.HEALTH).timeout(HEALTH_TIMEOUT).GET(), Health.class);
  }

  public ProjectSummary validate(ProjectRequest request) {
    return send(post(Routes.VALIDATE, request), ProjectSummary.class);
  }

  public ProjectSummary graph(ProjectRequest request) {
    return send(post(Routes.GRAPH, request), ProjectSummary.class);
  }

  public void shutdown() {
    send(
        request(Routes.SHUTDOWN).timeout(HEALTH_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()),
        null);
  }

  private HttpRequest.Builder post(String route, Object body) {
    byte[] json;
    try {
      json = Json.mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the request", e);
    }
    return request(route)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json));
  }

  private HttpRequest.Builder request(String route) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + info.port() + route))
        .header(Routes.AUTHORIZATION, "Bearer " + info.token());
  }

  private <T> T send(HttpRequest.Builder request, Class<T> answer) {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new DaemonUnreachableException(
          "no Grove daemon answers on 127.0.0.1:" + info.port() + " (" + describe(e) + ")",
          "Run 'grove daemon start'.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DaemonUnreachableException("interrupted while waiting for the daemon", null);
    }
    int status = response.statusCode();
    if (status == 401) {
      throw new DaemonUnreachableException(
          "the process on 127.0.0.1:" + info.port() + " rejected the token of daemon.json",
          "Another program holds that port, or daemon.json is stale: run 'grove daemon stop'"
              + " or delete daemon.json, then run again.",
          true);
    }
    try {
      if (status / 100 != 2) {
        throw new DaemonErrorException(status, errorOf(status, response.body()));
      }
      return answer == null ? null : Json.mapper().readValue(response.body(), answer);
    } catch (IOException e) {
      throw new DaemonErrorException(
          status,
          ApiError.of(
              ErrorCodes.INTERNAL,
              "the daemon's answer is not the JSON this grove expects (" + describe(e) + ")",
              "The CLI and the daemon may be different versions: run 'grove daemon stop'."));
    }
  }

  private static ApiError errorOf(int status, byte[] body) throws IOException {
    ApiError error = Json.mapper().readValue(body, ApiError.class);
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
}
