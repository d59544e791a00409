package dev.grove.actions.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryStatusIT {

  @TempDir static Path dir;
  static LocalRegistry registry;
  static RegistryAuth auth;
  final RegistryStatus status = new RegistryStatus();

  @BeforeAll
  static void startRegistryAndPushAnImage() throws Exception {
    registry = LocalRegistry.start(dir.resolve("registry"), "grove", "s3cret-pw");
    auth = new RegistryAuth(registry.user(), registry.password(), "test htpasswd user");
    System.setProperty("sendCredentialsOverHttp", "true");
    Path file = Files.writeString(dir.resolve("hello.txt"), "hello");
    Jib.fromScratch()
        .addLayer(List.of(file), AbsoluteUnixPath.get("/"))
        .containerize(
            Containerizer.to(
                    RegistryImage.named(registry.host() + "/grove/hello:1.0")
                        .addCredential(registry.user(), registry.password()))
                .setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(dir.resolve("jib-base-cache"))
                .setApplicationLayersCache(dir.resolve("jib-app-cache")));
  }

  @AfterAll
  static void stop() throws Exception {
    System.clearProperty("sendCredentialsOverHttp");
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void pushed_tag_exists() throws Exception {
    assertThat(status.tagExists(registry.host(), "grove/hello", "1.0", Optional.of(auth), true))
        .isTrue();
  }

  @Test
  void missing_tag_and_missing_repository_do_not_exist() throws Exception {
    assertThat(status.tagExists(registry.host(), "grove/hello", "2.0", Optional.of(auth), true))
        .isFalse();
    assertThat(status.tagExists(registry.host(), "grove/nothing", "1.0", Optional.of(auth), true))
        .isFalse();
  }

  @Test
  void wrong_password_is_unauthorized_naming_host_and_source_without_the_password() {
    RegistryAuth wrong = new RegistryAuth("grove", "wrong-pw-123", "auths in /tmp/config.json");

    assertThatThrownBy(
            () -> status.tagExists(registry.host(), "grove/hello", "1.0", Optional.of(wrong), true))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_UNAUTHORIZED);
              assertThat(e.getMessage())
                  .contains(registry.host(), "auths in /tmp/config.json")
                  .doesNotContain("wrong-pw-123");
              assertThat(e.suggestion())
                  .contains("docker login " + registry.host())
                  .doesNotContain("wrong-pw-123");
            });
  }

  @Test
  void no_credentials_is_unauthorized_saying_none_were_found() {
    assertThatThrownBy(
            () -> status.tagExists(registry.host(), "grove/hello", "1.0", Optional.empty(), true))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_UNAUTHORIZED);
              assertThat(e.getMessage()).contains("no credentials found");
            });
  }

  @Test
  void nothing_listening_is_unreachable_quickly() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String host = "127.0.0.1:" + port;
    long start = System.nanoTime();

    assertThatThrownBy(() -> status.tagExists(host, "grove/hello", "1.0", Optional.of(auth), true))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_UNREACHABLE);
              assertThat(e.getMessage())
                  .contains(host, "refused", "test htpasswd user")
                  .doesNotContain("s3cret-pw");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void registry_without_auth_answers_anonymously() throws Exception {
    try (LocalRegistry open = LocalRegistry.start(dir.resolve("open"))) {
      assertThat(status.tagExists(open.host(), "grove/hello", "1.0", Optional.empty(), true))
          .isFalse();
    }
  }
}
