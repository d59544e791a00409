package dev.grove.sandbox.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.sandbox.apiserver.SandboxCertificate;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox API authenticates every request by the bearer token its kubeconfig carries: REST,
 * discovery, watches, pod logs and websocket upgrades alike; only {@code /version} and the health
 * endpoints answer anonymously, as a real API server's {@code system:public-info-viewer} role lets
 * them.
 */
class SandboxApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static Sandbox sandbox;
  static HttpClient http;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0);
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(SandboxCertificate.trusting(sandbox.certificatePem()))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try (KubernetesClient client =
        new KubernetesClientBuilder().withConfig(sandbox.config()).build()) {
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("registry")
                  .withNamespace("default")
                  .endMetadata()
                  .withStringData(Map.of("password", "s3cret"))
                  .build())
          .create();
    }
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private static HttpResponse<String> get(String path, String authorization, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(sandbox.url() + path)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertUnauthorized(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    JsonNode status = JSON.readTree(response.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(status.path("status").asText()).isEqualTo("Failure");
    assertThat(status.path("reason").asText()).isEqualTo("Unauthorized");
    assertThat(status.path("code").asInt()).isEqualTo(401);
    assertThat(response.body()).doesNotContain("s3cret").doesNotContain(sandbox.token());
  }

  @Test
  void a_request_without_the_token_or_with_a_wrong_one_gets_401_with_a_status() throws Exception {
    String secret = "/api/v1/namespaces/default/secrets/registry";
    for (String path :
        new String[] {
          secret,
          "/api/v1/namespaces/default/secrets",
          "/api",
          "/apis",
          "/api/v1",
          "/apis/apps/v1",
          "/openapi/v2",
          "/api/v1/namespaces/default/secrets?watch=true",
          "/api/v1/namespaces/default/pods/web/log?follow=true"
        }) {
      assertUnauthorized(get(path, null));
      assertUnauthorized(get(path, "Bearer wrong-" + sandbox.token()));
      assertUnauthorized(get(path, "Bearer "));
      assertUnauthorized(get(path, "Basic Z3JvdmU6Z3JvdmU="));
    }
    // exec (a websocket upgrade for kubectl) is refused like the rest
    assertUnauthorized(
        get(
            "/api/v1/namespaces/default/pods/web/exec?command=sh&stdout=true",
            null,
            "Sec-WebSocket-Protocol",
            "v4.channel.k8s.io"));
  }

  @Test
  void the_right_token_reads_the_secret_and_discovery() throws Exception {
    String bearer = "Bearer " + sandbox.token();
    HttpResponse<String> secret = get("/api/v1/namespaces/default/secrets/registry", bearer);
    assertThat(secret.statusCode()).as(secret.body()).isEqualTo(200);
    assertThat(JSON.readTree(secret.body()).at("/metadata/name").asText()).isEqualTo("registry");
    assertThat(get("/api", bearer).statusCode()).isEqualTo(200);
    assertThat(get("/apis/apps/v1", bearer).statusCode()).isEqualTo(200);
  }

  @Test
  void version_and_health_answer_anonymously_as_on_a_real_api_server() throws Exception {
    assertThat(get("/version", null).statusCode()).isEqualTo(200);
    assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(get("/readyz", null).statusCode()).isEqualTo(200);
    assertThat(get("/livez", null).statusCode()).isEqualTo(200);
  }

  @Test
  void it_serves_https_only_with_a_certificate_for_127_0_0_1() throws Exception {
    assertThat(sandbox.url()).startsWith("https://127.0.0.1:");
    // the JDK client checks the subject alternative name against the address, as Go's does
    assertThat(get("/version", null).statusCode()).isEqualTo(200);
    HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                untrusting.send(
                    HttpRequest.newBuilder(URI.create(sandbox.url() + "/version")).build(),
                    HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
  }

  /**
   * The mock server's websocket watch blocks an event loop for up to a minute once closed (seen in
   * CI: a pod log request on that loop timed out after 30 s): websocket watches get 503, on which
   * fabric8 watches over HTTP, and such a watch still sees events and closes cleanly.
   */
  @Test
  void watches_are_served_over_http_not_websockets() throws Exception {
    java.util.concurrent.CompletableFuture<java.net.http.WebSocket> upgrade =
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer " + sandbox.token())
            .buildAsync(
                URI.create(
                    sandbox.url().replace("https://", "wss://")
                        + "/api/v1/namespaces/default/secrets?watch=true"),
                new java.net.http.WebSocket.Listener() {});
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> upgrade.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class)
        .satisfies(
            e ->
                assertThat(
                        ((java.net.http.WebSocketHandshakeException) e.getCause())
                            .getResponse()
                            .statusCode())
                    .isEqualTo(503));

    try (KubernetesClient client =
        new KubernetesClientBuilder().withConfig(sandbox.config()).build()) {
      java.util.concurrent.BlockingQueue<String> seen =
          new java.util.concurrent.LinkedBlockingQueue<>();
      io.fabric8.kubernetes.client.Watch watch =
          client
              .secrets()
              .inNamespace("default")
              .watch(
                  new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(
                        Action action, io.fabric8.kubernetes.api.model.Secret secret) {
                      seen.add(action + " " + secret.getMetadata().getName());
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                  });
      try {
        client
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("watched")
                    .withNamespace("default")
                    .endMetadata()
                    .withStringData(Map.of("k", "v"))
                    .build())
            .create();
        String event = seen.poll(10, TimeUnit.SECONDS);
        while (event != null && !event.endsWith(" watched")) {
          event = seen.poll(10, TimeUnit.SECONDS);
        }
        assertThat(event).isEqualTo("ADDED watched");
      } finally {
        watch.close();
      }
      for (int i = 0; i < 5; i++) { // every connection's loop still answers after the close
        assertThat(
                get("/api/v1/namespaces/default/secrets/registry", "Bearer " + sandbox.token())
                    .statusCode())
            .isEqualTo(200);
      }
    }
  }

  /** Sends a body as {@code contentType}; 5 s bounds it, so that an unanswered request fails. */
  private static HttpResponse<String> send(
      String method, String path, String contentType, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(sandbox.url() + path))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + sandbox.token())
            .header("Content-Type", contentType)
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertStatus(HttpResponse<String> response, int code, String reason)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode status = JSON.readTree(response.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(status.path("status").asText()).isEqualTo("Failure");
    assertThat(status.path("reason").asText()).isEqualTo(reason);
    assertThat(status.path("code").asInt()).isEqualTo(code);
  }

  /**
   * Helm's Go client writes protobuf ({@code k8s\0}, a {@code runtime.Unknown}, the object): the
   * API reads it for the kinds Helm's release storage writes, and answers a body it cannot read at
   * once with a Status: 400 when it is malformed, 415 for a kind it does not read (client-go does
   * not retry in JSON, so the message says to send JSON); JSON works as before.
   */
  @Test
  void a_protobuf_secret_is_stored_and_an_unreadable_body_gets_a_status_at_once() throws Exception {
    String protobufType = "application/vnd.kubernetes.protobuf";
    String secrets = "/api/v1/namespaces/default/secrets";
    HttpResponse<String> created =
        send("POST", secrets, protobufType, protobuf("Secret", "from-protobuf", "one"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Content-Type")).contains("application/json");
    HttpResponse<String> updated =
        send(
            "PUT",
            secrets + "/from-protobuf",
            protobufType,
            protobuf("Secret", "from-protobuf", "two"));
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    JsonNode stored =
        JSON.readTree(get(secrets + "/from-protobuf", "Bearer " + sandbox.token()).body());
    assertThat(stored.path("type").asText()).isEqualTo("Opaque");
    assertThat(stored.path("metadata").path("labels").path("owner").asText()).isEqualTo("helm");
    assertThat(
            new String(
                Base64.getDecoder().decode(stored.path("data").path("k").asText()),
                StandardCharsets.UTF_8))
        .isEqualTo("two");

    long started = System.nanoTime();
    byte[] cut = {'k', '8', 's', 0, 0x0a, 0x0b, 0x0a, 0x02, 'v', '1', 0x12, 0x06};
    for (String[] request :
        new String[][] {
          {"POST", secrets},
          {"PUT", secrets + "/registry"},
          {"DELETE", secrets + "/registry"},
          {"POST", "/apis/apps/v1/namespaces/default/deployments"}
        }) {
      assertStatus(send(request[0], request[1], protobufType, cut), 400, "BadRequest");
    }
    HttpResponse<String> deployment =
        send(
            "POST",
            "/apis/apps/v1/namespaces/default/deployments",
            protobufType,
            protobuf("Deployment", "web", "x"));
    assertStatus(deployment, 415, "UnsupportedMediaType");
    assertThat(deployment.body()).contains("application/json");
    HttpResponse<String> patch =
        send("PATCH", secrets + "/registry", "application/apply-patch+cbor", cut);
    assertStatus(patch, 415, "UnsupportedMediaType");
    assertThat(patch.body()).contains("application/strategic-merge-patch+json");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

    String json =
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\","
            + "\"metadata\":{\"name\":\"from-json\"},\"stringData\":{\"k\":\"v\"}}";
    HttpResponse<String> fromJson =
        send("POST", secrets, "application/json", json.getBytes(StandardCharsets.UTF_8));
    assertThat(fromJson.statusCode()).as(fromJson.body()).isEqualTo(201);
    // JSON says it is JSON: client-go reads an answer without a Content-Type as what it sent
    HttpResponse<String> list =
        get(
            secrets + "?labelSelector=owner%3Dhelm",
            "Bearer " + sandbox.token(),
            "Accept",
            "application/vnd.kubernetes.protobuf,application/json");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(JSON.readTree(list.body()).path("kind").asText()).isEqualTo("SecretList");
    assertThat(get(secrets + "/registry", "Bearer " + sandbox.token()).statusCode()).isEqualTo(200);
  }

  /**
   * {@code k8s\0} + {@code runtime.Unknown} of a {@code v1 KIND} named {@code name}, labelled
   * {@code owner: helm}, with {@code data.k = value} and type {@code Opaque} (Secret's field
   * numbers; short fields only, so every length is one byte).
   */
  private static byte[] protobuf(String kind, String name, String value) {
    byte[] meta =
        concat(
            field(1, bytes(name)),
            field(11, concat(field(1, bytes("owner")), field(2, bytes("helm")))));
    byte[] object =
        concat(
            field(1, meta),
            field(2, concat(field(1, bytes("k")), field(2, bytes(value)))),
            field(3, bytes("Opaque")));
    byte[] unknown =
        concat(field(1, concat(field(1, bytes("v1")), field(2, bytes(kind)))), field(2, object));
    return concat(new byte[] {'k', '8', 's', 0}, unknown);
  }

  private static byte[] field(int number, byte[] value) {
    return concat(new byte[] {(byte) (number << 3 | 2), (byte) value.length}, value);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /**
   * A body the CRUD dispatcher throws on (JSON cut short: the mock's parser throws a
   * KubernetesClientException out of its create and update) gets 500 with a Status instead of no
   * answer, and the API answers the next request.
   */
  @Test
  void a_request_whose_handling_throws_gets_500_with_a_status() throws Exception {
    byte[] cut = "{\"kind\":\"ConfigMap\",\"metadata\":{".getBytes(StandardCharsets.UTF_8);
    assertStatus(
        send("POST", "/api/v1/namespaces/default/configmaps", "application/json", cut),
        500,
        "InternalError");
    assertStatus(
        send("PUT", "/api/v1/namespaces/default/configmaps/cut", "application/json", cut),
        500,
        "InternalError");
    assertThat(
            get("/api/v1/namespaces/default/secrets/registry", "Bearer " + sandbox.token())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void every_sandbox_gets_its_own_random_token() {
    try (Sandbox other = Sandbox.start(0)) {
      assertThat(other.token()).isNotEqualTo(sandbox.token()).hasSizeGreaterThanOrEqualTo(32);
      assertThat(other.config().getOauthToken()).isEqualTo(other.token());
    }
  }
}
