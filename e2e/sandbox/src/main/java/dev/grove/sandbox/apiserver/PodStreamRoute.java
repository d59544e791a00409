package dev.grove.sandbox.apiserver;

import dev.grove.sandbox.cluster.KubeJson;
import dev.grove.sandbox.kubelet.PodStreams;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pods/exec}, {@code pods/attach} and {@code pods/portforward}: the request's options go to
 * the kubelet's {@link PodStreams}, which answers with the container runtime's streaming URL, and
 * the client's upgrade is proxied there ({@link UpgradeProxy}) as kube-apiserver does, so SPDY/3.1
 * and websocket clients (kubectl, fabric8) speak to the runtime itself. On a simulated node there
 * is no process to reach: the answer says so, as a {@code Status}.
 */
final class PodStreamRoute {

  static final Pattern PATH =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/(exec|attach|portforward)/?");

  static final String SIMULATED =
      "the sandbox runs simulated pods: there is no process to exec into, attach to or forward"
          + " ports of; start the sandbox where containerd can run (root, apt-get install"
          + " containerd runc containernetworking-plugins busybox-static)";

  private static final Logger LOG = LoggerFactory.getLogger(PodStreamRoute.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final KubernetesCrudDispatcher cluster;
  private final Supplier<PodStreams> streams;
  private final Vertx vertx;

  PodStreamRoute(KubernetesCrudDispatcher cluster, Supplier<PodStreams> streams, Vertx vertx) {
    this.cluster = cluster;
    this.streams = streams;
    this.vertx = vertx;
  }

  /** True when the request was one for this route, and is answered (or being proxied). */
  boolean handle(HttpServerRequest request) {
    Matcher m = PATH.matcher(request.path());
    if (!m.matches()) {
      return false;
    }
    String namespace = m.group(1);
    String podName = m.group(2);
    String subresource = m.group(3);
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.POST) {
      ApiStatus.send(
          request,
          405,
          ApiStatus.failure(
              405,
              "MethodNotAllowed",
              "the server does not allow this method on pods/" + subresource));
      return true;
    }
    MockResponse found = cluster.handleGet("/api/v1/namespaces/" + namespace + "/pods/" + podName);
    if (found.code() != 200) {
      ApiStatus.send(
          request,
          404,
          ApiStatus.failure(
              404,
              "NotFound",
              "pods \"" + podName + "\" not found",
              Map.of("name", podName, "kind", "pods")));
      return true;
    }
    Pod pod = KubeJson.read(found.getBody().readUtf8(), Pod.class);
    PodStreams runtime = streams.get();
    if (runtime == null) {
      ApiStatus.send(request, 400, ApiStatus.failure(400, "BadRequest", SIMULATED));
      return true;
    }
    if (!isUpgrade(request)) {
      ApiStatus.send(
          request, 400, ApiStatus.failure(400, "BadRequest", "Upgrade request required"));
      return true;
    }
    Call call;
    try {
      call = call(request, subresource, namespace, pod);
    } catch (PodStreams.StreamException e) {
      ApiStatus.send(request, e.code, ApiStatus.failure(e.code, reason(e.code), e.getMessage()));
      return true;
    }
    String what = subresource + " " + namespace + "/" + podName;
    String method = request.method().name();
    List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers().entries());
    request.pause();
    vertx
        .<Opened>executeBlocking(() -> open(runtime, call, method, headers), false)
        .onComplete(
            result -> {
              request.resume();
              if (result.failed()) {
                Throwable e = result.cause();
                if (e instanceof PodStreams.StreamException s) {
                  ApiStatus.send(
                      request, s.code, ApiStatus.failure(s.code, reason(s.code), s.getMessage()));
                } else {
                  LOG.warn("{}: the container runtime's stream could not be opened", what, e);
                  ApiStatus.send(
                      request,
                      502,
                      ApiStatus.failure(
                          502,
                          "",
                          "error dialing the container runtime's streaming server: "
                              + e.getMessage()));
                }
                return;
              }
              Opened opened = result.result();
              if (opened.answer().status() == 101) {
                UpgradeProxy.relay(request, opened.answer(), opened.channel(), what);
              } else {
                UpgradeProxy.closeQuietly(opened.channel());
                refuse(request, opened.answer());
              }
            });
    return true;
  }

  /** The runtime's call for this request, its parameters checked as the API server checks them. */
  private record Call(String subresource, String namespace, String pod, Lookup lookup) {}

  @FunctionalInterface
  private interface Lookup {
    URI url(PodStreams streams) throws PodStreams.StreamException;
  }

  private record Opened(UpgradeProxy.Answer answer, SocketChannel channel) {}

  private static Call call(HttpServerRequest request, String subresource, String namespace, Pod pod)
      throws PodStreams.StreamException {
    String name = pod.getMetadata().getName();
    if ("portforward".equals(subresource)) {
      List<Integer> ports = new ArrayList<>();
      for (String value : request.params().getAll("ports")) {
        for (String port : value.split(",")) {
          try {
            int p = Integer.parseInt(port.trim());
            if (p < 1 || p > 65535) {
              throw new NumberFormatException();
            }
            ports.add(p);
          } catch (NumberFormatException e) {
            throw new PodStreams.StreamException(400, "invalid port \"" + port.trim() + "\"");
          }
        }
      }
      return new Call(subresource, namespace, name, s -> s.portForward(namespace, name, ports));
    }
    String container = container(pod, request.getParam("container"));
    boolean stdin = bool(request, "stdin", false);
    // absent booleans are false, as the API server's query conversion reads them
    boolean stdout = bool(request, "stdout", false);
    boolean stderr = bool(request, "stderr", false);
    boolean tty = bool(request, "tty", false);
    if (tty && stderr) {
      stderr = false; // the API server's rule: with a tty, stderr goes to stdout
    }
    if (!stdin && !stdout && !stderr) {
      throw new PodStreams.StreamException(
          400, "you must specify at least 1 of stdin, stdout, stderr");
    }
    boolean in = stdin;
    boolean out = stdout;
    boolean err = stderr;
    if ("attach".equals(subresource)) {
      return new Call(
          subresource,
          namespace,
          name,
          s -> s.attach(namespace, name, container, in, out, err, tty));
    }
    List<String> command = request.params().getAll("command");
    if (command.isEmpty()) {
      throw new PodStreams.StreamException(400, "you must specify at least 1 command");
    }
    List<String> argv = List.copyOf(command);
    return new Call(
        subresource,
        namespace,
        name,
        s -> s.exec(namespace, name, container, argv, in, out, err, tty));
  }

  /** The named container, which the pod must have; empty when none is named. */
  private static String container(Pod pod, String named) throws PodStreams.StreamException {
    if (named == null || named.isEmpty()) {
      return "";
    }
    List<String> names =
        Stream.concat(
                pod.getSpec().getContainers().stream(),
                pod.getSpec().getInitContainers() == null
                    ? Stream.<Container>empty()
                    : pod.getSpec().getInitContainers().stream())
            .map(Container::getName)
            .toList();
    if (!names.contains(named)) {
      throw new PodStreams.StreamException(
          400, "container " + named + " is not valid for pod " + pod.getMetadata().getName());
    }
    return named;
  }

  private static boolean bool(HttpServerRequest request, String name, boolean otherwise) {
    String value = request.getParam(name);
    if (value == null) {
      return otherwise;
    }
    return "true".equalsIgnoreCase(value) || "1".equals(value);
  }

  /** Asks the runtime for the URL, dials it inside the node and sends the upgrade. Blocking. */
  private static Opened open(
      PodStreams streams, Call call, String method, List<Map.Entry<String, String>> headers)
      throws PodStreams.StreamException, IOException {
    URI url = call.lookup().url(streams);
    int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    if ("https".equals(url.getScheme())) {
      throw new IOException("the runtime's streaming server speaks TLS (" + url + "): unsupported");
    }
    SocketChannel channel =
        streams.network().connect(new InetSocketAddress(url.getHost(), port), CONNECT_TIMEOUT);
    try {
      return new Opened(
          UpgradeProxy.exchange(channel, UpgradeProxy.requestHead(method, url, headers)), channel);
    } catch (IOException | RuntimeException e) {
      UpgradeProxy.closeQuietly(channel);
      throw e;
    }
  }

  /** The runtime refused the upgrade: its status and message, as a {@code Status} when not one. */
  private static void refuse(HttpServerRequest request, UpgradeProxy.Answer answer) {
    String body = new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8).strip();
    int code = answer.status();
    if (body.startsWith("{") && body.contains("\"Status\"")) {
      ApiStatus.send(request, code, body);
      return;
    }
    String message =
        body.isEmpty()
            ? "the container runtime refused the upgrade: " + code + " " + answer.reason()
            : body;
    ApiStatus.send(request, code, ApiStatus.failure(code, reason(code), message));
  }

  private static String reason(int code) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 409 -> "Conflict";
      case 503 -> "ServiceUnavailable";
      default -> code >= 500 ? "InternalError" : "";
    };
  }

  private static boolean isUpgrade(HttpServerRequest request) {
    String upgrade = request.getHeader("Upgrade");
    String connection = request.getHeader("Connection");
    return upgrade != null
        && !upgrade.isBlank()
        && connection != null
        && connection.toLowerCase(java.util.Locale.ROOT).contains("upgrade");
  }
}
