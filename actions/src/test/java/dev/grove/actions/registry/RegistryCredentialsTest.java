package dev.grove.actions.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCredentialsTest {

  @TempDir Path home;
  Path bin;
  Map<String, String> env;
  final RegistryCredentials credentials = new RegistryCredentials(env -> Optional.empty());

  @BeforeEach
  void setUp() throws IOException {
    bin = Files.createDirectories(home.resolve("bin"));
    env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("PATH", bin + ":/usr/bin:/bin");
  }

  private Path dockerConfig(String json) throws IOException {
    Path file = home.resolve(".docker/config.json");
    Files.createDirectories(file.getParent());
    return Files.writeString(file, json);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A docker-credential-NAME script that prints {@code answer} and exits with {@code code}. */
  private void helper(String name, String answer, int code) throws IOException {
    Path script = bin.resolve("docker-credential-" + name);
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "[ \"$1\" = get ] || exit 9\n"
            + "read -r host\n"
            + "echo \"$host\" > \""
            + bin
            + "/"
            + name
            + ".asked\"\n"
            + "cat <<'JSON'\n"
            + answer
            + "\nJSON\n"
            + "exit "
            + code
            + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void auths_with_base64_auth_gives_user_and_password_and_names_the_file() throws Exception {
    Path file =
        dockerConfig(
            "{\"auths\":{\"registry.example.com:5000\":{\"auth\":\""
                + base64("alice:s3cr:et")
                + "\"}}}");

    RegistryAuth auth = credentials.find("registry.example.com:5000", env).orElseThrow();

    assertThat(auth.username()).isEqualTo("alice");
    assertThat(auth.password()).isEqualTo("s3cr:et");
    assertThat(auth.source()).isEqualTo("auths in " + file);
  }

  @Test
  void auths_key_matches_with_scheme_and_path() throws Exception {
    dockerConfig(
        "{\"auths\":{\"https://registry.example.com/v1/\":{\"username\":\"bob\",\"password\":\"pw\"}}}");

    RegistryAuth auth = credentials.find("registry.example.com", env).orElseThrow();

    assertThat(auth.username()).isEqualTo("bob");
    assertThat(auth.password()).isEqualTo("pw");
  }

  @Test
  void docker_hub_aliases_find_the_index_entry() throws Exception {
    dockerConfig(
        "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + base64("hub:pw") + "\"}}}");

    assertThat(credentials.find("registry-1.docker.io", env)).isPresent();
    assertThat(credentials.find("docker.io", env).orElseThrow().username()).isEqualTo("hub");
  }

  @Test
  void identity_token_is_marked_as_token() throws Exception {
    dockerConfig("{\"auths\":{\"r.example\":{\"auth\":\"\",\"identitytoken\":\"refresh-123\"}}}");

    RegistryAuth auth = credentials.find("r.example", env).orElseThrow();

    assertThat(auth.isIdentityToken()).isTrue();
    assertThat(auth.password()).isEqualTo("refresh-123");
  }

  @Test
  void cred_helper_runs_from_the_env_path_with_the_host_on_stdin() throws Exception {
    helper("fake", "{\"ServerURL\":\"r.example\",\"Username\":\"carol\",\"Secret\":\"hs\"}", 0);
    dockerConfig(
        "{\"credHelpers\":{\"r.example\":\"fake\"},"
            + "\"auths\":{\"r.example\":{\"auth\":\""
            + base64("ignored:pw")
            + "\"}}}");

    RegistryAuth auth = credentials.find("r.example", env).orElseThrow();

    assertThat(auth).isEqualTo(new RegistryAuth("carol", "hs", "credHelper fake"));
    assertThat(Files.readString(bin.resolve("fake.asked")).trim()).isEqualTo("r.example");
  }

  @Test
  void cred_helper_token_user_means_identity_token() throws Exception {
    helper("fake", "{\"Username\":\"<token>\",\"Secret\":\"refresh\"}", 0);
    dockerConfig("{\"credHelpers\":{\"r.example\":\"fake\"}}");

    assertThat(credentials.find("r.example", env).orElseThrow().isIdentityToken()).isTrue();
  }

  @Test
  void auths_win_over_creds_store_and_empty_auths_fall_through_to_it() throws Exception {
    helper("store", "{\"Username\":\"dave\",\"Secret\":\"st\"}", 0);
    dockerConfig(
        "{\"credsStore\":\"store\",\"auths\":{"
            + "\"a.example\":{\"auth\":\""
            + base64("erin:pw")
            + "\"},\"b.example\":{}}}");

    assertThat(credentials.find("a.example", env).orElseThrow().username()).isEqualTo("erin");
    RegistryAuth fromStore = credentials.find("b.example", env).orElseThrow();
    assertThat(fromStore.username()).isEqualTo("dave");
    assertThat(fromStore.source()).isEqualTo("credsStore store");
  }

  @Test
  void helper_without_credentials_for_the_host_means_none() throws Exception {
    helper("store", "credentials not found in native keychain", 1);
    dockerConfig("{\"credsStore\":\"store\"}");

    assertThat(credentials.find("r.example", env)).isEmpty();
  }

  @Test
  void failing_helper_is_an_error_naming_the_helper_and_the_fix() throws Exception {
    helper("broken", "boom: keychain locked", 3);
    dockerConfig("{\"credHelpers\":{\"r.example\":\"broken\"}}");

    assertThatThrownBy(() -> credentials.find("r.example", env))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_CREDENTIALS);
              assertThat(e.getMessage())
                  .contains("docker-credential-broken", "r.example", "exited with 3");
              assertThat(e.suggestion()).contains("docker login r.example");
            });
  }

  @Test
  void helper_missing_from_the_env_path_is_an_error() throws Exception {
    dockerConfig("{\"credHelpers\":{\"europe-docker.pkg.dev\":\"absent\"}}");

    assertThatThrownBy(() -> credentials.find("europe-docker.pkg.dev", env))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.getMessage()).contains("docker-credential-absent", "not on the PATH");
              assertThat(e.suggestion())
                  .contains("gcloud auth configure-docker europe-docker.pkg.dev");
            });
  }

  @Test
  void docker_config_env_overrides_home() throws Exception {
    dockerConfig("{\"auths\":{\"r.example\":{\"auth\":\"" + base64("home:pw") + "\"}}}");
    Path other = Files.createDirectories(home.resolve("other"));
    Files.writeString(
        other.resolve("config.json"),
        "{\"auths\":{\"r.example\":{\"auth\":\"" + base64("other:pw") + "\"}}}");
    env.put("DOCKER_CONFIG", other.toString());

    RegistryAuth auth = credentials.find("r.example", env).orElseThrow();

    assertThat(auth.username()).isEqualTo("other");
    assertThat(auth.source()).isEqualTo("auths in " + other.resolve("config.json"));
  }

  @Test
  void malformed_config_is_an_error_naming_the_file() throws Exception {
    Path file = dockerConfig("{\"auths\": {");

    assertThatThrownBy(() -> credentials.find("r.example", env))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_CREDENTIALS);
              assertThat(e.getMessage()).contains(file.toString(), "not valid JSON");
              assertThat(e.suggestion()).contains("docker login r.example");
            });
  }

  @Test
  void a_config_that_is_a_link_to_a_device_is_an_error_saying_what_it_is() throws Exception {
    Path file = home.resolve(".docker/config.json");
    Files.createDirectories(file.getParent());
    Files.createSymbolicLink(file, Path.of("/dev/zero"));

    Throwable thrown =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10),
            () ->
                org.assertj.core.api.Assertions.catchThrowable(
                    () -> credentials.find("r.example", env)));
    assertThat(thrown)
        .isInstanceOf(ActionException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("a character device, not a regular file");
  }

  @Test
  void auth_that_is_not_base64_is_an_error_without_the_value() throws Exception {
    Path file = dockerConfig("{\"auths\":{\"r.example\":{\"auth\":\"%%not-base64%%\"}}}");

    assertThatThrownBy(() -> credentials.find("r.example", env))
        .isInstanceOf(ActionException.class)
        .hasMessageContaining(file.toString())
        .hasMessageNotContaining("%%not-base64%%");
  }

  @Test
  void no_config_and_no_google_host_means_none() throws Exception {
    assertThat(credentials.find("r.example", env)).isEmpty();
    assertThat(credentials.find("r.example", Map.of())).isEmpty();
  }

  @Test
  void artifact_registry_falls_back_to_adc_with_the_passed_env() throws Exception {
    Map<String, Map<String, String>> seen = new HashMap<>();
    RegistryCredentials withAdc =
        new RegistryCredentials(
            e -> {
              seen.put("env", e);
              return Optional.of("ya29.token");
            });

    RegistryAuth auth = withAdc.find("us-docker.pkg.dev", env).orElseThrow();

    assertThat(auth.username()).isEqualTo("oauth2accesstoken");
    assertThat(auth.password()).isEqualTo("ya29.token");
    assertThat(auth.source()).isEqualTo("Google Application Default Credentials");
    assertThat(seen.get("env")).isSameAs(env);
    assertThat(withAdc.find("eu.gcr.io", env)).isPresent();
    assertThat(withAdc.find("gcr.io", env)).isPresent();
    assertThat(withAdc.find("ghcr.io", env)).isEmpty();
  }

  @Test
  void docker_config_wins_over_adc() throws Exception {
    dockerConfig(
        "{\"auths\":{\"us-docker.pkg.dev\":{\"auth\":\"" + base64("_json_key:key") + "\"}}}");
    RegistryCredentials withAdc = new RegistryCredentials(e -> Optional.of("ya29.token"));

    assertThat(withAdc.find("us-docker.pkg.dev", env).orElseThrow().username())
        .isEqualTo("_json_key");
  }

  @Test
  void adc_failure_is_an_error_with_the_login_fix() {
    RegistryCredentials failing =
        new RegistryCredentials(
            e -> {
              throw new IOException("invalid_grant");
            });

    assertThatThrownBy(() -> failing.find("us-docker.pkg.dev", env))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_CREDENTIALS);
              assertThat(e.getMessage()).contains("invalid_grant", "us-docker.pkg.dev");
              assertThat(e.suggestion()).contains("gcloud auth application-default login");
            });
  }

  @Test
  void standard_adc_reads_the_key_file_named_in_the_passed_env() throws Exception {
    Path key = Files.writeString(home.resolve("key.json"), "{\"type\":\"nonsense\"}");
    env.put("GOOGLE_APPLICATION_CREDENTIALS", key.toString());

    assertThatThrownBy(() -> new RegistryCredentials().find("us-docker.pkg.dev", env))
        .isInstanceOf(ActionException.class)
        .hasMessageContaining(key.toString());
  }

  @Test
  void to_string_never_shows_the_password() {
    RegistryAuth auth = new RegistryAuth("u", "hunter2", "auths in /x");

    assertThat(auth.toString()).doesNotContain("hunter2").contains("u", "auths in /x");
  }
}
