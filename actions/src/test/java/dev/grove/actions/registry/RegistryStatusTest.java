package dev.grove.actions.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Bearer token flow and status mapping against a hand-written registry + token server. */
class RegistryStatusTest {

  private static final String BASIC_OK =
      "Basic "
          + Base64.getEncoder()
              .encodeToString("oauth2accesstoken:ya29.good".getBytes(StandardCharsets.UTF_8));

  HttpServer server;
  String host;
  final List<String> tokenQueries = new CopyOnWriteArrayList<>();
  final Map<String, Integer> manifestStatus = new ConcurrentHashMap<>();
  final RegistryStatus status = new RegistryStatus();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    host = "127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/token", this::token);
    server.createContext("/v2/", this::manifest);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void token(HttpExchange exchange) throws IOException {
    tokenQueries.add(exchange.getRequestURI().getRawQuery());
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (BASIC_OK.equals(authorization)) {
      respond(exchange, 200, "{\"token\":\"bearer-abc\",\"expires_in\":300}");
    } else {
      respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
    }
  }

  private void manifest(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!"Bearer bearer-abc".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange
          .getResponseHeaders()
          .add(
              "WWW-Authenticate",
              "Bearer realm=\"http://"
                  + host
                  + "/token\",service=\"fake-registry\",scope=\"repository:proj/repo/api:pull\"");
      respond(exchange, 401, "");
      return;
    }
    assertThat(exchange.getRequestMethod()).isEqualTo("HEAD");
    assertThat(exchange.getRequestHeaders().getFirst("Accept"))
        .contains("application/vnd.oci.image.manifest.v1+json");
    respond(exchange, manifestStatus.getOrDefault(path, 404), "");
  }

  private static void respond(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(code, head || bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  private Optional<RegistryAuth> good() {
    return Optional.of(
        new RegistryAuth(
            "oauth2accesstoken", "ya29.good", "Google Application Default Credentials"));
  }

  @Test
  void bearer_flow_gets_a_token_with_basic_credentials_and_retries() throws Exception {
    manifestStatus.put("/v2/proj/repo/api/manifests/v1", 200);

    assertThat(status.tagExists(host, "proj/repo/api", "v1", good(), true)).isTrue();
    assertThat(status.tagExists(host, "proj/repo/api", "v2", good(), true)).isFalse();
    assertThat(tokenQueries.get(0))
        .contains("service=fake-registry", "scope=repository%3Aproj%2Frepo%2Fapi%3Apull");
  }

  @Test
  void token_refused_is_unauthorized_without_the_token() {
    Optional<RegistryAuth> bad =
        Optional.of(new RegistryAuth("oauth2accesstoken", "ya29.expired", "credHelper gcloud"));

    assertThatThrownBy(() -> status.tagExists(host, "proj/repo/api", "v1", bad, true))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_UNAUTHORIZED);
              assertThat(e.getMessage()).contains(host, "credHelper gcloud").doesNotContain("ya29");
            });
  }

  @Test
  void forbidden_names_the_repository() {
    manifestStatus.put("/v2/proj/repo/api/manifests/v1", 403);

    assertThatThrownBy(() -> status.tagExists(host, "proj/repo/api", "v1", good(), true))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_FORBIDDEN);
              assertThat(e.getMessage())
                  .contains(host, "proj/repo/api", "Google Application Default Credentials")
                  .doesNotContain("ya29");
            });
  }

  @Test
  void server_error_is_a_registry_error() {
    manifestStatus.put("/v2/proj/repo/api/manifests/v1", 500);

    assertThatThrownBy(() -> status.tagExists(host, "proj/repo/api", "v1", good(), true))
        .isInstanceOfSatisfying(
            ActionException.class, e -> assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_ERROR));
  }

  @Test
  void invalid_reference_is_rejected_before_any_request() {
    assertThatThrownBy(() -> status.tagExists(host, "Proj/Repo", "v1", good(), true))
        .isInstanceOfSatisfying(
            ActionException.class, e -> assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC));
    assertThatThrownBy(() -> status.tagExists(host, "proj/repo", "bad tag", good(), true))
        .isInstanceOf(ActionException.class);
    assertThat(tokenQueries).isEmpty();
  }

  @Test
  void artifact_registry_fixes_name_the_region_host_and_the_iam_role() {
    assertThat(RegistryErrors.loginFix("us-docker.pkg.dev"))
        .contains("gcloud auth configure-docker us-docker.pkg.dev");
    assertThat(RegistryErrors.forbiddenFix("us-docker.pkg.dev", "p/r/api"))
        .contains("roles/artifactregistry.writer");
    assertThat(RegistryErrors.forbiddenFix(host, "p/r/api")).contains("docker login " + host);
  }

  @Test
  void challenge_parser_reads_quoted_and_bare_parameters() {
    RegistryStatus.Challenge c =
        RegistryStatus.Challenge.parse(
            "Bearer realm=\"https://auth.example/token\",service=registry.example,"
                + "scope=\"repository:a/b:pull,push\"");

    assertThat(c.scheme()).isEqualTo("bearer");
    assertThat(c.params())
        .containsEntry("realm", "https://auth.example/token")
        .containsEntry("service", "registry.example")
        .containsEntry("scope", "repository:a/b:pull,push");
  }
}
