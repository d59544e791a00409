package dev.grove.sandbox.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.actions.registry.LocalRegistry;
import dev.grove.sandbox.node.ContainerdNode;
import dev.grove.sandbox.node.NodeHost;
import dev.grove.sandbox.node.SandboxImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's pause and busybox images, pushed to a real registry with Basic auth. */
class SandboxImagesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER = "grove";
  private static final String PASSWORD = "images-it-pw";

  @TempDir static Path dir;
  static LocalRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        NodeHost.REAL.staticExecutable(ContainerdNode.BUSYBOX),
        "No static /bin/busybox to make the images of (apt-get install busybox-static)");
    registry = LocalRegistry.start(dir.resolve("registry"), USER, PASSWORD);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void pushes_both_images_once_and_the_same_bytes_again_write_nothing() throws Exception {
    List<SandboxImages.Pushed> first = push();
    assertThat(first)
        .extracting(SandboxImages.Pushed::reference)
        .containsExactly(
            registry.host() + "/grove/pause:1", registry.host() + "/grove/busybox:1.35");
    List<SandboxImages.Pushed> second = push();
    assertThat(second).extracting(SandboxImages.Pushed::written).containsOnly(false);
    assertThat(second)
        .extracting(SandboxImages.Pushed::digest)
        .isEqualTo(first.stream().map(SandboxImages.Pushed::digest).toList());
    for (SandboxImages.Pushed image : second) {
      assertThat(get(manifestPath(image.reference())).headers().firstValue("Docker-Content-Digest"))
          .hasValue(image.digest());
    }
  }

  @Test
  void the_images_are_linux_amd64_with_the_pause_entrypoint_and_a_shell_command() throws Exception {
    push();
    JsonNode pauseConfig = config("grove/pause", "1");
    assertThat(pauseConfig.path("architecture").asText()).isEqualTo("amd64");
    assertThat(pauseConfig.path("os").asText()).isEqualTo("linux");
    assertThat(pauseConfig.path("config").path("Entrypoint").toString())
        .contains("/bin/busybox", "trap 'exit 0' TERM INT");
    JsonNode baseConfig = config("grove/busybox", SandboxImages.BUSYBOX_VERSION);
    assertThat(baseConfig.path("config").path("Cmd").toString()).isEqualTo("[\"sh\"]");
    assertThat(baseConfig.path("config").path("Env").toString()).contains("PATH=/usr/local/sbin");
    assertThat(baseConfig.path("rootfs").path("diff_ids")).hasSize(1);
  }

  @Test
  void the_layer_holds_busybox_its_applets_as_links_and_a_base_system() throws Exception {
    push();
    JsonNode manifest =
        JSON.readTree(get(manifestPath(registry.host() + "/grove/busybox:1.35")).body());
    assertThat(manifest.path("mediaType").asText())
        .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
    String layer = manifest.path("layers").get(0).path("digest").asText();
    byte[] blob = get("/v2/grove/busybox/blobs/" + layer).body();
    Map<String, String> entries = tarEntries(new GZIPInputStream(new ByteArrayInputStream(blob)));
    assertThat(entries)
        .containsEntry("bin/busybox", "file 755")
        .containsEntry("bin/sh", "link busybox")
        .containsEntry("bin/httpd", "link busybox")
        .containsEntry("bin/wget", "link busybox")
        .containsEntry("bin/nc", "link busybox")
        .containsEntry("bin/ls", "link busybox")
        .containsEntry("etc/passwd", "file 644")
        .containsEntry("etc/group", "file 644")
        .containsEntry("tmp/", "dir 1777")
        .containsEntry("var/www/", "dir 755");
  }

  private static List<SandboxImages.Pushed> push() throws IOException {
    return SandboxImages.push(
        ContainerdNode.BUSYBOX, registry.host(), USER, PASSWORD, Duration.ofSeconds(30));
  }

  private static String manifestPath(String reference) {
    String path = reference.substring(reference.indexOf('/') + 1);
    int colon = path.lastIndexOf(':');
    return "/v2/" + path.substring(0, colon) + "/manifests/" + path.substring(colon + 1);
  }

  private static JsonNode config(String repository, String tag) throws Exception {
    JsonNode manifest = JSON.readTree(get("/v2/" + repository + "/manifests/" + tag).body());
    return JSON.readTree(
        get("/v2/" + repository + "/blobs/" + manifest.path("config").path("digest").asText())
            .body());
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    HttpResponse<byte[]> response =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + registry.host() + path))
                    .timeout(Duration.ofSeconds(10))
                    .header(
                        "Authorization",
                        "Basic "
                            + Base64.getEncoder()
                                .encodeToString(
                                    (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .header("Accept", "application/vnd.docker.distribution.manifest.v2+json")
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response;
  }

  /** name → "file MODE" | "dir MODE" | "link TARGET", read from ustar headers. */
  private static Map<String, String> tarEntries(InputStream tar) throws IOException {
    Map<String, String> entries = new HashMap<>();
    while (true) {
      byte[] header = tar.readNBytes(512);
      if (header.length < 512 || header[0] == 0) {
        return entries;
      }
      String name = field(header, 0, 100);
      String mode = Integer.toOctalString(Integer.parseInt(field(header, 100, 8).strip(), 8));
      long size = Long.parseLong(field(header, 124, 12).strip(), 8);
      char type = (char) header[156];
      switch (type) {
        case '5' -> entries.put(name, "dir " + mode);
        case '2' -> entries.put(name, "link " + field(header, 157, 100));
        default -> entries.put(name, "file " + mode);
      }
      long padded = (size + 511) / 512 * 512;
      tar.readNBytes((int) padded);
    }
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }
}
