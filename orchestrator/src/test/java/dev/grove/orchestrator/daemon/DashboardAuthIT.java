package dev.grove.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.http.DaemonInfo;
import dev.grove.api.http.Routes;
import dev.grove.api.project.ProjectRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's login and its defences, on a real daemon: a one-time code (minted with the token
 * only) for an httpOnly SameSite=Strict cookie, the page's requests checked for their Host, Origin
 * and CSRF token, and the session's environment given to its project's requests.
 */
class DashboardAuthIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  private final FakeProjectService projects = new FakeProjectService();
  private final CountDownLatch exited = new CountDownLatch(1);
  private final HttpClient http = TestDaemons.http();
  private Daemon daemon;
  private DaemonInfo info;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(shop.resolve("project.garden.yml"), "kind: Project\nname: shop\n");
    project =
        new ProjectRequest(
            shop.toString(), shop.toString(), "dev", Map.of(), Map.of("PATH", "/usr/bin"));
    daemon = TestDaemons.start(home, projects, exited::countDown);
    info = TestDaemons.info(home);
  }

  @AfterEach
  void stop() throws Exception {
    TestDaemons.stop(daemon);
  }

  /** A folder with a project file (the daemon checks it before it gives a code). */
  @TempDir Path shop;

  private ProjectRequest project;

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + info.port() + path);
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private String code() throws Exception {
    HttpResponse<String> minted =
        send(
            HttpRequest.newBuilder(uri(Routes.DASHBOARD_CODE))
                .header("Authorization", "Bearer " + info.token())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(project)))
                .build());
    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(minted.body());
    assertThat(answer.path("path").asText())
        .isEqualTo("/ui/login?code=" + answer.path("code").asText());
    return answer.path("code").asText();
  }

  /** Logs in with a fresh code: the session cookie's value. */
  private String login() throws Exception {
    HttpResponse<String> login =
        send(HttpRequest.newBuilder(uri("/ui/login?code=" + code())).build());
    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Location")).hasValue("/ui/");
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie)
        .containsIgnoringCase("HttpOnly")
        .contains("SameSite=Strict")
        .startsWith("grove_session=");
    return cookie.substring("grove_session=".length(), cookie.indexOf(';'));
  }

  private HttpRequest.Builder withSession(String path, String session) {
    return HttpRequest.newBuilder(uri(path)).header("Cookie", "grove_session=" + session);
  }

  private String csrf(String session) throws Exception {
    HttpResponse<String> answer = send(withSession(Routes.DASHBOARD_SESSION, session).build());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.path("project").path("root").asText()).isEqualTo(shop.toString());
    assertThat(body.path("project").path("env").isEmpty())
        .as("the page never sees the CLI's environment")
        .isTrue();
    return body.path("csrf").asText();
  }

  private static String code(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).path("code").asText();
  }

  @Test
  void aFolderWithoutAProjectGetsNoCode() throws Exception {
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(uri(Routes.DASHBOARD_CODE))
                .header("Authorization", "Bearer " + info.token())
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(
                            new ProjectRequest(
                                home.toString(), home.toString(), null, Map.of(), Map.of()))))
                .build());
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.body()).contains("PROJECT_NOT_FOUND").contains("No project.garden.yml");
  }

  @Test
  void aCodeIsMintedWithTheTokenOnlyAndWorksOnce() throws Exception {
    HttpResponse<String> anonymous =
        send(
            HttpRequest.newBuilder(uri(Routes.DASHBOARD_CODE))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(project)))
                .build());
    assertThat(anonymous.statusCode()).isEqualTo(401);

    String code = code();
    assertThat(send(HttpRequest.newBuilder(uri("/ui/login?code=" + code)).build()).statusCode())
        .isEqualTo(303);
    HttpResponse<String> again =
        send(HttpRequest.newBuilder(uri("/ui/login?code=" + code)).build());
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("grove dashboard");
    assertThat(send(HttpRequest.newBuilder(uri("/ui/login")).build()).statusCode()).isEqualTo(401);
    assertThat(send(HttpRequest.newBuilder(uri("/ui/login?code=made-up")).build()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void withoutASessionTheApiIsRefused() throws Exception {
    HttpResponse<String> answer = send(withSession(Routes.DASHBOARD_SESSION, "made-up").build());
    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(answer.body()).path("code").asText())
        .isEqualTo(ErrorCodes.UNAUTHORIZED);
  }

  @Test
  void theSessionsRequestsNeedTheCsrfTokenAndGetTheClientsEnvironment() throws Exception {
    String session = login();
    String csrf = csrf(session);
    String body =
        "{\"root\": \"" + shop + "\", \"cwd\": \"" + shop + "\", \"environment\": \"dev\"}";

    HttpResponse<String> noToken =
        send(
            withSession(Routes.VALIDATE, session)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(noToken.body()).path("code").asText()).isEqualTo(ErrorCodes.FORBIDDEN);
    assertThat(projects.validated).isEmpty();

    HttpResponse<String> withToken =
        send(
            withSession(Routes.VALIDATE, session)
                .header("X-Grove-CSRF", csrf)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);
    assertThat(projects.validated).hasSize(1);
    assertThat(projects.validated.get(0).env())
        .as("the session's project runs with the environment of the CLI that opened it")
        .containsEntry("PATH", "/usr/bin");
  }

  @Test
  void aForeignOriginIsRefused() throws Exception {
    String session = login();
    String csrf = csrf(session);
    HttpResponse<String> answer =
        send(
            withSession(Routes.VALIDATE, session)
                .header("X-Grove-CSRF", csrf)
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"root\": \"" + shop + "\"}"))
                .build());
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).contains("Origin http://evil.example");
    assertThat(projects.validated).isEmpty();
  }

  @Test
  void aSessionCannotMintCodes() throws Exception {
    String session = login();
    HttpResponse<String> answer =
        send(
            withSession(Routes.DASHBOARD_CODE, session)
                .header("X-Grove-CSRF", csrf(session))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(project)))
                .build());
    assertThat(answer.statusCode()).isEqualTo(403);
  }

  @Test
  void aForeignHostIsRefusedAsDnsRebindingWouldSendIt() throws Exception {
    String session = login();
    assertThat(raw("/ui/", "attacker.example:" + info.port(), null)).startsWith("HTTP/1.1 403");
    assertThat(raw(Routes.DASHBOARD_SESSION, "attacker.example:" + info.port(), session))
        .startsWith("HTTP/1.1 403");
    assertThat(raw("/ui/", "127.0.0.1:" + info.port(), null)).startsWith("HTTP/1.1 200");
    assertThat(raw("/ui/", "localhost:" + info.port(), null)).startsWith("HTTP/1.1 200");
  }

  @Test
  void thePageIsServedFromTheDaemonsJar() throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/ui/")).build());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"app.js\"></script>");
    HttpResponse<String> script = send(HttpRequest.newBuilder(uri("/ui/app.js")).build());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type").orElse("")).contains("javascript");
    assertThat(send(HttpRequest.newBuilder(uri("/ui")).build()).statusCode()).isEqualTo(302);
  }

  /** A GET with a Host header of our choosing (the JDK client will not send another host). */
  private String raw(String path, String host, String session) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", info.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\n"
                  + (session == null ? "" : "Cookie: grove_session=" + session + "\r\n")
                  + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
