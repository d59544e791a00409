package dev.grove.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.api.action.ActionSummary;
import dev.grove.api.error.ApiError;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.error.Location;
import dev.grove.api.error.Problem;
import dev.grove.api.http.DaemonInfo;
import dev.grove.api.http.Health;
import dev.grove.api.http.Routes;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import dev.grove.orchestrator.error.ConfigException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real daemon on a free loopback port, a real HTTP client, a fake project engine. */
class DaemonAuthIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  private final FakeProjectService projects = new FakeProjectService();
  private final CountDownLatch exited = new CountDownLatch(1);
  private final HttpClient http = TestDaemons.http();
  private Daemon daemon;
  private DaemonInfo info;

  @BeforeEach
  void start() throws Exception {
    daemon = TestDaemons.start(home, projects, exited::countDown);
    info = TestDaemons.info(home);
  }

  @AfterEach
  void stop() throws Exception {
    TestDaemons.stop(daemon);
  }

  @Test
  void writesDaemonJsonReadableByItsOwnerOnly() throws Exception {
    Path file = home.resolve("daemon.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(info.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(info.buildId()).isEqualTo("test-build");
    assertThat(info.port()).isPositive();
    assertThat(info.token()).matches("[0-9a-f]{64}");
    assertThat(info).isEqualTo(daemon.info());
  }

  @Test
  void rejectsARequestWithoutAToken() throws Exception {
    HttpResponse<String> response = send(get(Routes.HEALTH).build());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(error(response).code()).isEqualTo(ErrorCodes.UNAUTHORIZED);
  }

  @Test
  void rejectsAWrongToken() throws Exception {
    HttpResponse<String> response =
        send(get(Routes.HEALTH).header("Authorization", "Bearer " + "0".repeat(64)).build());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(error(response).code()).isEqualTo(ErrorCodes.UNAUTHORIZED);
  }

  @Test
  void rejectsAWrongTokenOnUnknownRoutesToo() throws Exception {
    HttpResponse<String> response = send(get("/api/v1/nope").build());
    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void answersHealthWithTheRightToken() throws Exception {
    HttpResponse<String> response = send(authorized(get(Routes.HEALTH)).build());
    assertThat(response.statusCode()).isEqualTo(200);
    Health health = JSON.readValue(response.body(), Health.class);
    assertThat(health.status()).isEqualTo("ok");
    assertThat(health.buildId()).isEqualTo("test-build");
    assertThat(health.pid()).isEqualTo(info.pid());
    assertThat(health.projects()).isEqualTo(1);
  }

  @Test
  void listensOnLoopback127001Only() throws Exception {
    // All of 127/8 is loopback on Linux: a wildcard bind would accept 127.0.0.2 as well.
    assertRefused(InetAddress.getByName("127.0.0.2"));
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      for (InetAddress address : nic.inetAddresses().toList()) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          assertRefused(address);
        }
      }
    }
  }

  @Test
  void answersMalformedJsonWith400AndStaysUp() throws Exception {
    HttpResponse<String> response = send(post(Routes.VALIDATE, "{\"root\": ").build());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response).code()).isEqualTo(ErrorCodes.BAD_REQUEST);

    assertThat(send(authorized(get(Routes.HEALTH)).build()).statusCode()).isEqualTo(200);
  }

  @Test
  void answersAnUnknownRouteWith404() throws Exception {
    HttpResponse<String> response = send(authorized(get("/api/v1/nope")).build());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(error(response).code()).isEqualTo(ErrorCodes.NOT_FOUND);
  }

  @Test
  void answersATooLargeBodyWith413() throws Exception {
    String huge = "{\"cwd\":\"" + "x".repeat(2 << 20) + "\"}";
    HttpResponse<String> response = send(post(Routes.VALIDATE, huge).build());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(error(response).code()).isEqualTo(ErrorCodes.BAD_REQUEST);
  }

  @Test
  void validatesOnAWorkerThreadAndPassesTheClientsEnvironment() throws Exception {
    ActionSummary api =
        new ActionSummary("build.api", "Build", "container", "api", "v-1", List.of(), false);
    projects.answer(request -> new ProjectSummary("shop", "dev", List.of(api), List.of()));

    HttpResponse<String> response = send(post(Routes.VALIDATE, requestJson()).build());

    assertThat(response.statusCode()).isEqualTo(200);
    ProjectSummary summary = JSON.readValue(response.body(), ProjectSummary.class);
    assertThat(summary.actions()).containsExactly(api);
    assertThat(projects.requests).hasSize(1);
    assertThat(projects.requests.get(0).env()).containsEntry("KUBECONFIG", "/k");
    assertThat(projects.requests.get(0).vars()).containsEntry("a", "1");
    assertThat(projects.threads).allSatisfy(name -> assertThat(name).startsWith("grove-projects"));
  }

  @Test
  void answersConfigProblemsWith422() throws Exception {
    Problem problem =
        new Problem(
            "UNKNOWN_KIND",
            "unknown kind 'Deplo'",
            "Did you mean 'Deploy'?",
            new Location("garden.yml", 3, 7, "kind"));
    projects.answer(
        request -> {
          throw new ConfigException(problem);
        });

    HttpResponse<String> response = send(post(Routes.GRAPH, requestJson()).build());

    assertThat(response.statusCode()).isEqualTo(422);
    ApiError error = error(response);
    assertThat(error.code()).isEqualTo(ErrorCodes.CONFIG_INVALID);
    assertThat(error.problems()).containsExactly(problem);
  }

  @Test
  void answersAnUnexpectedExceptionWith500WithoutStackTrace() throws Exception {
    projects.answer(
        request -> {
          throw new IllegalStateException("boom-detail");
        });

    HttpResponse<String> response = send(post(Routes.VALIDATE, requestJson()).build());

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(error(response).code()).isEqualTo(ErrorCodes.INTERNAL);
    assertThat(response.body())
        .contains("bug in Grove", "daemon.log")
        .doesNotContain("boom-detail", "at dev.grove", "Exception");
    assertThat(send(authorized(get(Routes.HEALTH)).build()).statusCode()).isEqualTo(200);
  }

  @Test
  void shutsDownOnRequestAndRemovesDaemonJson() throws Exception {
    HttpResponse<String> response = send(post(Routes.SHUTDOWN, "").build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(exited.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(home.resolve("daemon.json")).doesNotExist();
    // The exit does not wait for vert.x to close (in production the process ends): the port
    // closes shortly after.
    awaitRefused(InetAddress.getByName("127.0.0.1"));
  }

  private void awaitRefused(InetAddress address) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(address, info.port()), 1000);
      } catch (IOException refused) {
        return;
      }
      Thread.sleep(50);
    }
    assertRefused(address);
  }

  private String requestJson() throws IOException {
    return JSON.writeValueAsString(
        new ProjectRequest("/p", "/p/sub", "dev", Map.of("a", "1"), Map.of("KUBECONFIG", "/k")));
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(uri(path)).GET();
  }

  private HttpRequest.Builder post(String path, String body) {
    return authorized(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    return request.header("Authorization", "Bearer " + info.token());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + info.port() + path);
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static ApiError error(HttpResponse<String> response) throws IOException {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readValue(response.body(), ApiError.class);
  }

  private void assertRefused(InetAddress address) {
    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, info.port()), 1000);
              }
            })
        .as("connect to %s:%d", address, info.port())
        .isInstanceOf(ConnectException.class);
  }
}
