package dev.grove.actions.registry.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.sun.net.httpserver.HttpServer;
import dev.grove.actions.registry.LocalRegistry;
import dev.grove.actions.registry.PushLog;
import dev.grove.actions.registry.RegistryCredentials;
import dev.grove.actions.registry.RegistryStatus;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grove cleanup images} against the real registry server (htpasswd auth, delete on). */
class ImageCleanupIT {
  private static final String PASSWORD = "cleanup-pass";
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir static Path dir;
  private static LocalRegistry registry;
  private static Map<String, String> env;
  private final RegistryStatus status = new RegistryStatus();
  private final ImageCleanup cleanup =
      new ImageCleanup(
          new RegistryCredentials(),
          status,
          (e, what) -> {
            throw new AssertionError("not an Artifact Registry host: " + what);
          });

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start(dir.resolve("registry"), "grove", PASSWORD);
    Path config = Files.createDirectories(dir.resolve("docker"));
    String auth =
        Base64.getEncoder().encodeToString(("grove:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        config.resolve("config.json"),
        "{\"auths\": {\"" + registry.host() + "\": {\"auth\": \"" + auth + "\"}}}");
    env = Map.of("DOCKER_CONFIG", config.toString(), "HOME", dir.toString());
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  /** Pushes a distinct one-file image as {@code repository:tag} (+ more tags). */
  private static void push(String repository, String content, String tag, String... more)
      throws Exception {
    Path file = Files.createDirectories(dir.resolve("files/" + content)).resolve("f.txt");
    Files.writeString(file, content);
    RegistryImage image =
        RegistryImage.named(registry.host() + "/" + repository + ":" + tag)
            .addCredential("grove", PASSWORD);
    System.setProperty("sendCredentialsOverHttp", "true");
    Containerizer to = Containerizer.to(image).setAllowInsecureRegistries(true);
    for (String extra : more) {
      to.withAdditionalTag(extra);
    }
    Jib.fromScratch().addLayer(List.of(file), AbsoluteUnixPath.get("/")).containerize(to);
  }

  /**
   * Five versions; 1 also tagged release-1; the push log orders 1 (oldest) .. 5 except 4, which it
   * does not know (pushed elsewhere), so 4 counts as oldest of all.
   */
  private ImageCleanup.Target seed(String repository, Path project) throws Exception {
    push(repository, repository + "1", "v-0000000001", "release-1");
    for (int i = 2; i <= 5; i++) {
      push(repository, repository + i, "v-000000000" + i);
    }
    PushLog log = new PushLog(project);
    for (int i : new int[] {3, 1, 5, 2}) {
      log.record(registry.host() + "/" + repository, "v-000000000" + i, T0.plusSeconds(i));
    }
    return new ImageCleanup.Target(
        registry.host(), repository, true, Set.of("v-0000000002"), project, env);
  }

  private List<String> tags(String repository) throws ActionException {
    return status.tags(
        registry.host(), repository, new RegistryCredentials().find(registry.host(), env), true);
  }

  @Test
  void planKeepsTheNewestTheCurrentVersionAndSharedImagesAndDeletesNothing() throws Exception {
    ImageCleanup.Target target = seed("shop/plan", Files.createDirectories(dir.resolve("p1")));

    ImageCleanup.Result plan = cleanup.plan(target, 2);

    assertThat(plan.image()).isEqualTo(registry.host() + "/shop/plan");
    assertThat(plan.delete()).containsExactly("v-0000000004");
    assertThat(plan.keep())
        .containsExactly("v-0000000005", "v-0000000003", "v-0000000002", "v-0000000001");
    assertThat(plan.notes())
        .anyMatch(n -> n.startsWith("v-0000000002 stays: it is the current version"))
        .anyMatch(n -> n.startsWith("v-0000000001 stays: its image is also tagged release-1"));
    assertThat(tags("shop/plan")).hasSize(6);
  }

  @Test
  void deleteRemovesOnlyConfirmedOldTagsAndNeverOthers() throws Exception {
    ImageCleanup.Target target = seed("shop/del", Files.createDirectories(dir.resolve("p2")));

    ImageCleanup.Result done = cleanup.delete(target, 0, Set.of("v-0000000004", "v-0000000003"));

    assertThat(done.delete()).containsExactly("v-0000000003", "v-0000000004");
    assertThat(tags("shop/del"))
        .containsExactlyInAnyOrder("release-1", "v-0000000001", "v-0000000002", "v-0000000005");
    assertThat(done.notes())
        .anyMatch(n -> n.contains("v-0000000005 stays: it was not in the list"));
  }

  @Test
  void anImageNeverPushedHasNothingToDelete() throws Exception {
    ImageCleanup.Target target =
        new ImageCleanup.Target(registry.host(), "shop/never", true, Set.of(), dir, env);
    assertThat(cleanup.plan(target, 1).delete()).isEmpty();
  }

  @Test
  void aRegistryWithoutDeletionSaysHowToEnableIt() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v2/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          byte[] body = new byte[0];
          int code;
          if (path.endsWith("/tags/list")) {
            body = "{\"tags\":[\"v-0000000001\"]}".getBytes(StandardCharsets.UTF_8);
            code = 200;
          } else if (exchange.getRequestMethod().equals("DELETE")) {
            code = 405;
          } else {
            exchange.getResponseHeaders().add("Docker-Content-Digest", "sha256:" + "a".repeat(64));
            code = exchange.getRequestMethod().equals("HEAD") ? 200 : 404;
          }
          exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
          if (body.length > 0) {
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
    try {
      String host = "127.0.0.1:" + server.getAddress().getPort();
      var target = new ImageCleanup.Target(host, "shop/web", true, Set.of(), dir, Map.of());
      assertThatThrownBy(() -> cleanup.delete(target, 0, Set.of("v-0000000001")))
          .isInstanceOfSatisfying(
              ActionException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_DELETE_DISABLED);
                assertThat(e.getMessage()).contains(host);
                assertThat(e.suggestion()).contains("storage.delete.enabled");
              });
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aNegativeKeepIsRefused() {
    var target = new ImageCleanup.Target("127.0.0.1:1", "shop/x", true, Set.of(), dir, env);
    assertThatThrownBy(() -> cleanup.plan(target, -1))
        .isInstanceOf(ActionException.class)
        .hasMessageContaining("Cannot keep -1");
  }
}
