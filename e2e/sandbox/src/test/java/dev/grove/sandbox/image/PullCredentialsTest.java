package dev.grove.sandbox.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullCredentialsTest {

  @Test
  void a_dockerconfigjson_auth_entry_gives_user_and_password_for_its_host() {
    Secret secret =
        secret(
            "regcred",
            "kubernetes.io/dockerconfigjson",
            ".dockerconfigjson",
            "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + b64("grove:pa:ss") + "\"}}}");

    List<PullCredentials.Credential> found =
        PullCredentials.forHost(List.of(secret), "127.0.0.1:5000");

    assertThat(found).hasSize(1);
    assertThat(found.get(0).user()).isEqualTo("grove");
    assertThat(found.get(0).password()).isEqualTo("pa:ss");
    assertThat(found.get(0).source()).isEqualTo("Secret shop/regcred");
    assertThat(PullCredentials.forHost(List.of(secret), "127.0.0.1:5001")).isEmpty();
  }

  @Test
  void keys_with_a_scheme_or_path_match_their_host_and_username_password_fields_work() {
    Secret secret =
        secret(
            "hub",
            "kubernetes.io/dockerconfigjson",
            ".dockerconfigjson",
            "{\"auths\":{\"https://index.docker.io/v1/\":{\"username\":\"u\",\"password\":\"p\"},"
                + "\"http://localhost:5000/\":{\"auth\":\""
                + b64("l:q")
                + "\"}}}");

    assertThat(PullCredentials.forHost(List.of(secret), "docker.io"))
        .extracting(PullCredentials.Credential::user)
        .containsExactly("u");
    assertThat(PullCredentials.forHost(List.of(secret), "localhost:5000"))
        .extracting(PullCredentials.Credential::password)
        .containsExactly("q");
  }

  @Test
  void the_legacy_dockercfg_type_is_read_and_other_secrets_are_ignored() {
    Secret legacy =
        secret(
            "old",
            "kubernetes.io/dockercfg",
            ".dockercfg",
            "{\"127.0.0.1:5000\":{\"auth\":\"" + b64("a:b") + "\"}}");
    Secret opaque = secret("opaque", "Opaque", ".dockerconfigjson", "{\"auths\":{}}");
    Secret broken = secret("broken", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", "{");

    assertThat(PullCredentials.forHost(List.of(opaque, broken, legacy), "127.0.0.1:5000"))
        .extracting(PullCredentials.Credential::user)
        .containsExactly("a");
  }

  private static Secret secret(String name, String type, String key, String json) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .endMetadata()
        .withType(type)
        .addToData(key, b64(json))
        .build();
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
