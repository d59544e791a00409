package dev.grove.sandbox.apiserver;

import dev.grove.sandbox.cluster.KubeJson;
import dev.grove.sandbox.cluster.PodLogs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code GET /api/v1/namespaces/NS/pods/NAME/log}: the lines {@link PodLogs} holds for a container,
 * with the API server's parameters ({@code container}, {@code follow}, {@code tailLines}, {@code
 * sinceSeconds}, {@code sinceTime}, {@code timestamps}, {@code limitBytes}, {@code previous}: the
 * container's last terminated run, never followed) and its answers when there is nothing to read.
 * With {@code follow=true} the answer stays open (chunked) and takes each new line, until the
 * container exits, the pod is deleted or the client goes away.
 */
final class PodLogRoute {

  static final Pattern PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/log/?");

  /** The kubelet's timestamp format (RFC 3339 with nine fraction digits, UTC). */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final KubernetesCrudDispatcher cluster;
  private final PodLogs logs;
  private final Clock clock;

  PodLogRoute(KubernetesCrudDispatcher cluster, PodLogs logs, Clock clock) {
    this.cluster = cluster;
    this.logs = logs;
    this.clock = clock;
  }

  /** True when the request was one for this route, and is answered. */
  boolean handle(HttpServerRequest request) {
    Matcher m = PATH.matcher(request.path());
    if (!m.matches()) {
      return false;
    }
    try {
      serve(request, m.group(1), m.group(2));
    } catch (BadRequest e) {
      status(request.response(), 400, "BadRequest", e.getMessage());
    }
    return true;
  }

  private void serve(HttpServerRequest request, String namespace, String podName)
      throws BadRequest {
    MockResponse found = cluster.handleGet("/api/v1/namespaces/" + namespace + "/pods/" + podName);
    if (found.code() != 200) {
      status(request.response(), 404, "NotFound", "pods \"" + podName + "\" not found");
      return;
    }
    Pod pod = KubeJson.read(found.getBody().readUtf8(), Pod.class);
    String container = container(pod, request.getParam("container"));
    Selection selection = selection(request);
    if (bool(request, "previous")) {
      Optional<List<PodLogs.Line>> lines = logs.previous(namespace, podName, container);
      if (lines.isEmpty()) {
        throw new BadRequest(
            "previous terminated container \""
                + container
                + "\" in pod \""
                + podName
                + "\" not found");
      }
      request
          .response()
          .setStatusCode(200)
          .putHeader("Content-Type", "text/plain")
          .end(selection.text(lines.get()));
      return;
    }
    if (!bool(request, "follow")) {
      Optional<List<PodLogs.Line>> lines = logs.lines(namespace, podName, container);
      if (lines.isEmpty()) {
        throw new BadRequest(waiting(pod, container));
      }
      request
          .response()
          .setStatusCode(200)
          .putHeader("Content-Type", "text/plain")
          .end(selection.text(lines.get()));
      return;
    }
    HttpServerResponse response = request.response();
    Context context = Vertx.currentContext();
    long[] budget = {selection.limitBytes()};
    Optional<PodLogs.Subscription> subscription =
        logs.follow(
            namespace,
            podName,
            container,
            lines -> {
              response.setStatusCode(200).putHeader("Content-Type", "text/plain").setChunked(true);
              response.writeHead();
              write(response, selection.text(lines), budget);
            },
            new PodLogs.Follower() {
              @Override
              public void line(PodLogs.Line line) {
                context.runOnContext(v -> write(response, selection.format(line), budget));
              }

              @Override
              public void end() {
                context.runOnContext(
                    v -> {
                      if (!response.ended() && !response.closed()) {
                        response.end();
                      }
                    });
              }
            });
    if (subscription.isEmpty()) {
      throw new BadRequest(waiting(pod, container));
    }
    response.closeHandler(v -> subscription.get().cancel());
  }

  private static void write(HttpServerResponse response, String text, long[] budget) {
    if (text.isEmpty() || response.ended() || response.closed()) {
      return;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length >= budget[0]) {
      response.end(new String(bytes, 0, (int) budget[0], StandardCharsets.UTF_8));
      return;
    }
    budget[0] -= bytes.length;
    response.write(text);
  }

  /** The container the request names, or the pod's only one. */
  private static String container(Pod pod, String named) throws BadRequest {
    List<String> containers = names(pod.getSpec().getContainers());
    List<String> init = names(pod.getSpec().getInitContainers());
    String podName = pod.getMetadata().getName();
    if (named == null || named.isEmpty()) {
      if (containers.size() == 1) {
        return containers.get(0);
      }
      throw new BadRequest(
          "a container name must be specified for pod "
              + podName
              + ", choose one of: "
              + bracketed(containers)
              + (init.isEmpty() ? "" : " or one of the init containers: " + bracketed(init)));
    }
    if (!containers.contains(named) && !init.contains(named)) {
      throw new BadRequest("container " + named + " is not valid for pod " + podName);
    }
    return named;
  }

  /** Why a container has no log yet, as the kubelet words it. */
  private static String waiting(Pod pod, String container) {
    String reason = "ContainerCreating";
    if (pod.getStatus() != null) {
      Optional<ContainerStatus> status =
          Stream.concat(
                  pod.getStatus().getContainerStatuses().stream(),
                  pod.getStatus().getInitContainerStatuses().stream())
              .filter(s -> container.equals(s.getName()))
              .findFirst();
      if (status.isPresent()
          && status.get().getState() != null
          && status.get().getState().getWaiting() != null
          && status.get().getState().getWaiting().getReason() != null) {
        reason = status.get().getState().getWaiting().getReason();
      }
    }
    String why =
        switch (reason) {
          case "ErrImagePull" -> "trying and failing to pull image";
          case "ImagePullBackOff" -> "image can't be pulled";
          case "InvalidImageName" -> "image name is invalid";
          default -> reason;
        };
    return "container \""
        + container
        + "\" in pod \""
        + pod.getMetadata().getName()
        + "\" is waiting to start: "
        + why;
  }

  /** Which lines, and how they are written. */
  private record Selection(
      Optional<Instant> since, int tailLines, boolean timestamps, long limitBytes) {

    String text(List<PodLogs.Line> lines) {
      List<PodLogs.Line> kept = new ArrayList<>();
      for (PodLogs.Line line : lines) {
        if (since.isEmpty() || !line.time().isBefore(since.get())) {
          kept.add(line);
        }
      }
      if (tailLines >= 0 && kept.size() > tailLines) {
        kept = kept.subList(kept.size() - tailLines, kept.size());
      }
      StringBuilder text = new StringBuilder();
      kept.forEach(line -> text.append(format(line)));
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      return bytes.length <= limitBytes
          ? text.toString()
          : new String(bytes, 0, (int) limitBytes, StandardCharsets.UTF_8);
    }

    String format(PodLogs.Line line) {
      return (timestamps ? TIMESTAMP.format(line.time()) + " " : "") + line.text() + "\n";
    }
  }

  private Selection selection(HttpServerRequest request) throws BadRequest {
    Optional<Instant> since = Optional.empty();
    String sinceSeconds = request.getParam("sinceSeconds");
    String sinceTime = request.getParam("sinceTime");
    if (sinceSeconds != null && sinceTime != null) {
      throw new BadRequest("at most one of sinceTime or sinceSeconds may be specified");
    }
    if (sinceSeconds != null) {
      since = Optional.of(clock.instant().minusSeconds(positive(sinceSeconds, "sinceSeconds")));
    }
    if (sinceTime != null) {
      try {
        since = Optional.of(Instant.parse(sinceTime));
      } catch (DateTimeParseException e) {
        throw new BadRequest("sinceTime: Invalid value: \"" + sinceTime + "\": not RFC 3339");
      }
    }
    String tail = request.getParam("tailLines");
    int tailLines =
        tail == null ? -1 : (int) Math.min(Integer.MAX_VALUE, natural(tail, "tailLines"));
    String limit = request.getParam("limitBytes");
    long limitBytes = limit == null ? Long.MAX_VALUE : positive(limit, "limitBytes");
    return new Selection(since, tailLines, bool(request, "timestamps"), limitBytes);
  }

  private static long positive(String value, String name) throws BadRequest {
    long n = natural(value, name);
    if (n < 1) {
      throw new BadRequest(name + ": Invalid value: " + value + ": must be greater than 0");
    }
    return n;
  }

  private static long natural(String value, String name) throws BadRequest {
    try {
      long n = Long.parseLong(value);
      if (n < 0) {
        throw new BadRequest(
            name + ": Invalid value: " + value + ": must be greater than or equal to 0");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest(name + ": Invalid value: \"" + value + "\": not a number");
    }
  }

  private static boolean bool(HttpServerRequest request, String name) {
    String value = request.getParam(name);
    return value != null && (value.equals("true") || value.equals("1"));
  }

  private static List<String> names(List<Container> containers) {
    return containers == null ? List.of() : containers.stream().map(Container::getName).toList();
  }

  private static String bracketed(List<String> names) {
    return "[" + String.join(" ", names) + "]";
  }

  /** A {@code Status} answer, as the API server gives for errors. */
  static void status(HttpServerResponse response, int code, String reason, String message) {
    response
        .setStatusCode(code)
        .putHeader("Content-Type", "application/json")
        .end(ApiStatus.failure(code, reason, message));
  }

  /** A request the API server refuses with 400 and this message. */
  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }
}
