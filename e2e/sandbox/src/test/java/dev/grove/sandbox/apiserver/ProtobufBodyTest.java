package dev.grove.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The protobuf bodies client-go's typed clients send read as the JSON a client would have sent. The
 * {@code helm-*.bin} resources are bodies Helm 3.21 (helm-java 0.0.21) sent to the sandbox, seen
 * through a logging proxy: a release Secret ({@code secret} storage driver), a release ConfigMap
 * ({@code configmap} driver) and the DeleteOptions of an uninstall.
 */
class ProtobufBodyTest {

  @Test
  void a_release_secret_as_helm_sends_it_reads_as_json() throws Exception {
    Map<String, Object> secret = ProtobufBody.read(resource("helm-release-secret.bin"));

    assertThat(secret).containsEntry("apiVersion", "v1").containsEntry("kind", "Secret");
    assertThat(secret).containsEntry("type", "helm.sh/release.v1");
    assertThat(Json.map(secret.get("metadata")))
        .containsEntry("name", "sh.helm.release.v1.demo.v1")
        // Go's zero values (empty namespace, uid, creationTimestamp...) are left out, as JSON's
        // omitempty leaves them out
        .containsOnlyKeys("name", "labels");
    assertThat(Json.map(Json.at(secret, "metadata", "labels")))
        .containsEntry("name", "demo")
        .containsEntry("owner", "helm")
        .containsEntry("status", "deployed")
        .containsEntry("version", "1");
    // data is map<string, bytes>: base64 in JSON; Helm's release is itself base64 of gzip
    String release = (String) Json.at(secret, "data", "release");
    assertThat(new String(Base64.getDecoder().decode(release), StandardCharsets.US_ASCII))
        .startsWith("H4sI");
    assertThat(secret).doesNotContainKeys("stringData", "immutable");
  }

  @Test
  void a_release_config_map_as_helm_sends_it_reads_as_json() throws Exception {
    Map<String, Object> configMap = ProtobufBody.read(resource("helm-release-configmap.bin"));

    assertThat(configMap).containsEntry("apiVersion", "v1").containsEntry("kind", "ConfigMap");
    assertThat(Json.at(configMap, "metadata", "name")).isEqualTo("sh.helm.release.v1.demo.v1");
    assertThat(Json.at(configMap, "metadata", "labels", "owner")).isEqualTo("helm");
    // data is map<string, string>: the text itself
    assertThat((String) Json.at(configMap, "data", "release")).startsWith("H4sI");
    assertThat(configMap).doesNotContainKey("binaryData");
  }

  @Test
  void helms_empty_delete_options_read_as_an_empty_object() throws Exception {
    assertThat(ProtobufBody.read(resource("helm-delete-options.bin")))
        .containsOnly(Map.entry("apiVersion", "v1"), Map.entry("kind", "DeleteOptions"));
  }

  @Test
  void delete_options_carry_propagation_grace_period_preconditions_and_dry_run() throws Exception {
    byte[] options =
        new Proto()
            .varint(1, 0)
            .message(2, new Proto().string(1, "uid-1").string(2, "42"))
            .string(4, "Orphan")
            .string(5, "All")
            .bytes();

    assertThat(ProtobufBody.read(envelope("v1", "DeleteOptions", options)))
        .containsEntry("gracePeriodSeconds", 0L)
        .containsEntry("propagationPolicy", "Orphan")
        .containsEntry("preconditions", Map.of("uid", "uid-1", "resourceVersion", "42"))
        .containsEntry("dryRun", List.of("All"));
  }

  @Test
  void object_meta_reads_every_field_a_client_sets_and_skips_unknown_fields() throws Exception {
    byte[] meta =
        new Proto()
            .string(1, "web")
            .string(2, "web-")
            .string(3, "shop")
            .message(8, new Proto().varint(1, 1_700_000_000L))
            .message(11, new Proto().string(1, "app").string(2, "web"))
            .message(12, new Proto().string(1, "note").string(2, "hi"))
            .message(
                13,
                new Proto()
                    .string(1, "Deployment")
                    .string(3, "web")
                    .string(4, "uid-9")
                    .string(5, "apps/v1")
                    .varint(6, 1)
                    .varint(7, 1))
            .string(14, "example.com/keep")
            .varint(99, 7) // a field of a newer Kubernetes
            .fixed64(98)
            .bytes();
    byte[] configMap =
        new Proto()
            .message(1, meta)
            .message(2, new Proto().string(1, "greeting").string(2, "hello"))
            .message(3, new Proto().string(1, "blob").raw(2, new byte[] {0, 1, 2}))
            .varint(4, 1)
            .bytes();

    Map<String, Object> read = ProtobufBody.read(envelope("v1", "ConfigMap", configMap));

    assertThat(Json.map(read.get("metadata")))
        .containsEntry("name", "web")
        .containsEntry("generateName", "web-")
        .containsEntry("namespace", "shop")
        .containsEntry("creationTimestamp", "2023-11-14T22:13:20Z")
        .containsEntry("labels", Map.of("app", "web"))
        .containsEntry("annotations", Map.of("note", "hi"))
        .containsEntry("finalizers", List.of("example.com/keep"))
        .containsEntry(
            "ownerReferences",
            List.of(
                Map.of(
                    "kind", "Deployment",
                    "name", "web",
                    "uid", "uid-9",
                    "apiVersion", "apps/v1",
                    "controller", true,
                    "blockOwnerDeletion", true)));
    assertThat(read)
        .containsEntry("data", Map.of("greeting", "hello"))
        .containsEntry("binaryData", Map.of("blob", "AAEC"))
        .containsEntry("immutable", true);
  }

  @Test
  void a_namespace_as_kubectl_create_namespace_sends_it_reads_as_json() throws Exception {
    byte[] namespace =
        new Proto()
            .message(1, new Proto().string(1, "bench"))
            .message(2, new Proto().string(1, "kubernetes"))
            .message(3, new Proto().string(1, "Active"))
            .bytes();

    Map<String, Object> read = ProtobufBody.read(envelope("v1", "Namespace", namespace));

    assertThat(read).containsEntry("apiVersion", "v1").containsEntry("kind", "Namespace");
    assertThat(Json.at(read, "metadata", "name")).isEqualTo("bench");
    assertThat(Json.at(read, "spec", "finalizers")).isEqualTo(java.util.List.of("kubernetes"));
    assertThat(read).doesNotContainKey("status");
  }

  @Test
  void a_kind_it_does_not_read_is_415_saying_to_send_json() {
    byte[] pod = new Proto().message(1, new Proto().string(1, "web")).bytes();

    assertThatThrownBy(() -> ProtobufBody.read(envelope("v1", "Pod", pod)))
        .isInstanceOfSatisfying(
            ProtobufBody.UnreadableBody.class,
            e -> {
              assertThat(e.code()).isEqualTo(415);
              assertThat(e.getMessage()).contains("not v1 Pod").contains("application/json");
              assertThat(Json.parse(e.status()))
                  .containsEntry("kind", "Status")
                  .containsEntry("reason", "UnsupportedMediaType")
                  .containsEntry("code", 415);
            });
  }

  @Test
  void a_body_without_the_envelope_or_cut_short_is_400() throws Exception {
    byte[] secret = resource("helm-release-secret.bin");
    byte[] cut = java.util.Arrays.copyOf(secret, secret.length / 2);

    for (byte[] body :
        List.of("{\"kind\":\"Secret\"}".getBytes(StandardCharsets.UTF_8), new byte[0], cut)) {
      assertThatThrownBy(() -> ProtobufBody.read(body))
          .isInstanceOfSatisfying(
              ProtobufBody.UnreadableBody.class,
              e -> {
                assertThat(e.code()).isEqualTo(400);
                assertThat(Json.parse(e.status())).containsEntry("reason", "BadRequest");
              });
    }
  }

  @Test
  void the_media_type_is_recognised_with_parameters_and_in_any_case() {
    assertThat(ProtobufBody.isProtobuf("application/vnd.kubernetes.protobuf")).isTrue();
    assertThat(ProtobufBody.isProtobuf("Application/VND.kubernetes.protobuf; charset=x")).isTrue();
    assertThat(ProtobufBody.isProtobuf("application/json")).isFalse();
    assertThat(ProtobufBody.isProtobuf(null)).isFalse();
  }

  // ---- helpers ----

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ProtobufBodyTest.class.getResourceAsStream("/protobuf/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** {@code k8s\0} + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
  private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
    byte[] unknown =
        new Proto()
            .message(1, new Proto().string(1, apiVersion).string(2, kind))
            .raw(2, raw)
            .bytes();
    byte[] body = new byte[unknown.length + 4];
    System.arraycopy(new byte[] {'k', '8', 's', 0}, 0, body, 0, 4);
    System.arraycopy(unknown, 0, body, 4, unknown.length);
    return body;
  }

  /** A protobuf writer for the test's bodies. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      tag(field, 0);
      write(value);
      return this;
    }

    Proto fixed64(int field) {
      tag(field, 1);
      out.writeBytes(new byte[8]);
      return this;
    }

    Proto string(int field, String value) {
      return raw(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto message) {
      return raw(field, message.bytes());
    }

    Proto message(int field, byte[] message) {
      return raw(field, message);
    }

    Proto raw(int field, byte[] value) {
      tag(field, 2);
      write(value.length);
      out.writeBytes(value);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void tag(int field, int wireType) {
      write((long) field << 3 | wireType);
    }

    private void write(long value) {
      while ((value & ~0x7fL) != 0) {
        out.write((int) (value & 0x7f) | 0x80);
        value >>>= 7;
      }
      out.write((int) value);
    }
  }
}
