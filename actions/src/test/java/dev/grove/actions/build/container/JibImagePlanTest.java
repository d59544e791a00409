package dev.grove.actions.build.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JibImagePlanTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** One file of a layer. */
  record Entry(int mode, long uid, long gid, String content) {}

  /** What a built tar holds: the image config and the files of every layer, by path. */
  record Image(JsonNode config, List<Map<String, Entry>> layers, BuildResult result) {
    Map<String, Entry> files() {
      Map<String, Entry> all = new TreeMap<>();
      layers.forEach(all::putAll);
      return all;
    }
  }

  private Path context(Map<String, String> files) throws IOException {
    Path context = Files.createDirectories(dir.resolve("context"));
    for (var file : files.entrySet()) {
      Path path = context.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    return context;
  }

  private Image build(String dockerfile, Path context, Map<String, String> args, String name)
      throws Exception {
    var plan =
        JibImagePlan.plan(
            Dockerfile.parse(dockerfile, "Dockerfile"), context, args, BaseImages.anonymous());
    Path tar = dir.resolve(name + ".tar");
    BuildResult result =
        new JibBuilder(null, dir.resolve("cache"))
            .build(
                plan,
                new JibBuilder.Tar(tar, "grove-test/" + name + ":v1"),
                (s, t) -> {},
                new Cancellation());
    return read(tar, result);
  }

  private static Image read(Path tar, BuildResult result) throws IOException {
    Map<String, byte[]> outer = untar(Files.newInputStream(tar));
    JsonNode manifest = JSON.readTree(outer.get("manifest.json")).get(0);
    JsonNode config = JSON.readTree(outer.get(manifest.get("Config").asText()));
    List<Map<String, Entry>> layers = new ArrayList<>();
    for (JsonNode layer : manifest.get("Layers")) {
      Map<String, Entry> files = new TreeMap<>();
      try (var in =
          new TarArchiveInputStream(
              new GZIPInputStream(new ByteArrayInputStream(outer.get(layer.asText()))))) {
        for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
          files.put(
              e.getName(),
              new Entry(
                  e.getMode() & 07777,
                  e.getLongUserId(),
                  e.getLongGroupId(),
                  e.isDirectory() ? null : new String(in.readAllBytes())));
        }
      }
      layers.add(files);
    }
    return new Image(config, layers, result);
  }

  private static Map<String, byte[]> untar(InputStream stream) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (var in = new TarArchiveInputStream(stream)) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        files.put(e.getName(), in.readAllBytes());
      }
    }
    return files;
  }

  @Test
  void translatesTheMetadataInstructionsIntoTheImageConfig() throws Exception {
    Path context = context(Map.of("app.txt", "hello"));
    Image image =
        build(
            String.join(
                "\n",
                "ARG BASE=scratch",
                "FROM ${BASE} AS final",
                "ARG VERSION=0.0.0",
                "ARG PORT=8080",
                "ENV APP_VERSION=$VERSION HOME_DIR=\"/srv/my app\"",
                "ENV LEGACY value with spaces",
                "WORKDIR /srv",
                "WORKDIR app",
                "USER 1000:1000",
                "EXPOSE ${PORT} 53/udp 9000-9001/tcp",
                "LABEL org.opencontainers.image.title=\"My app\" version=${VERSION}",
                "VOLUME [\"/data\"]",
                "STOPSIGNAL SIGTERM",
                "ENTRYPOINT [\"/app\", \"serve\"]",
                "CMD --port=${PORT}"),
            context,
            Map.of("VERSION", "1.2.3"),
            "meta");

    JsonNode config = image.config().get("config");
    assertThat(config.get("Env"))
        .extracting(JsonNode::asText)
        .contains("APP_VERSION=1.2.3", "HOME_DIR=/srv/my app", "LEGACY=value with spaces");
    assertThat(config.get("ExposedPorts").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("8080/tcp", "53/udp", "9000/tcp", "9001/tcp");
    assertThat(config.get("Entrypoint"))
        .extracting(JsonNode::asText)
        .containsExactly("/app", "serve");
    assertThat(config.get("Cmd"))
        .extracting(JsonNode::asText)
        .containsExactly("/bin/sh", "-c", "--port=${PORT}");
    assertThat(config.get("WorkingDir").asText()).isEqualTo("/srv/app");
    assertThat(config.get("User").asText()).isEqualTo("1000:1000");
    assertThat(config.get("Labels").get("org.opencontainers.image.title").asText())
        .isEqualTo("My app");
    assertThat(config.get("Labels").get("version").asText()).isEqualTo("1.2.3");
    assertThat(config.get("Volumes").fieldNames()).toIterable().containsExactly("/data");
    assertThat(image.config().get("created").asText()).startsWith("1970-01-01T00:00:00");
  }

  @Test
  void copiesFilesFoldersAndGlobsByDockersDestinationRules() throws Exception {
    Path context =
        context(
            Map.of(
                "bin/server", "#!/bin/sh",
                "conf/a.yaml", "a",
                "conf/sub/b.yaml", "b",
                "one.txt", "1",
                "two.txt", "2"));
    Image image =
        build(
            String.join(
                "\n",
                "FROM scratch",
                "WORKDIR /opt",
                "COPY bin/server /usr/local/bin/srv",
                "COPY conf etc/",
                "COPY *.txt texts/",
                "COPY --chown=1000 --chmod=0755 one.txt /owned/",
                "ADD [\"two.txt\", \"/added\"]"),
            context,
            Map.of(),
            "copy");

    assertThat(image.layers()).hasSize(5);
    Map<String, Entry> files = image.files();
    assertThat(files.get("usr/local/bin/srv").content()).isEqualTo("#!/bin/sh");
    assertThat(files.get("opt/etc/a.yaml").content()).isEqualTo("a");
    assertThat(files.get("opt/etc/sub/b.yaml").content()).isEqualTo("b");
    assertThat(files.get("opt/texts/one.txt").content()).isEqualTo("1");
    assertThat(files.get("opt/texts/two.txt").content()).isEqualTo("2");
    assertThat(files.get("owned/one.txt")).isEqualTo(new Entry(0755, 1000, 1000, "1"));
    assertThat(files.get("added").content()).isEqualTo("2");
    assertThat(files.get("added").uid()).isZero();
  }

  @Test
  void leavesOutWhatDockerignoreExcludes() throws Exception {
    Path context =
        context(
            Map.of(
                ".dockerignore", "*.log\n**/node_modules\nsecret/\n!secret/keep.txt\n",
                "app.js", "js",
                "debug.log", "log",
                "web/node_modules/x.js", "x",
                "secret/key", "k",
                "secret/keep.txt", "keep"));
    Image image = build("FROM scratch\nCOPY . /app/\n", context, Map.of(), "ignore");

    assertThat(image.files().keySet())
        .contains("app/app.js", "app/secret/keep.txt", "app/.dockerignore")
        .doesNotContain("app/debug.log", "app/web/node_modules/x.js", "app/secret/key");
  }

  @Test
  void theSameInputsGiveTheSameDigest() throws Exception {
    Path context = context(Map.of("a.txt", "a", "dir/b.txt", "b"));
    String dockerfile = "FROM scratch\nENV A=1\nCOPY . /app/\nCMD [\"/app/a.txt\"]\n";
    Image first = build(dockerfile, context, Map.of(), "first");
    Files.setLastModifiedTime(
        context.resolve("a.txt"), java.nio.file.attribute.FileTime.fromMillis(0));
    Image second = build(dockerfile, context, Map.of(), "second");

    assertThat(second.result().digest()).isEqualTo(first.result().digest()).startsWith("sha256:");
    assertThat(second.result().imageId()).isEqualTo(first.result().imageId());
  }

  /** A .dockerignore that is a link to a device is refused at once, saying what it is. */
  @Test
  void aDockerignoreLinkToADeviceIsRefusedNotReadForever() throws Exception {
    Path context = context(Map.of("a.txt", "a"));
    Files.createSymbolicLink(context.resolve(".dockerignore"), Path.of("/dev/zero"));
    Dockerfile dockerfile = Dockerfile.parse("FROM scratch\nCOPY a.txt /\n", "Dockerfile");
    Throwable thrown =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10),
            () ->
                org.assertj.core.api.Assertions.catchThrowable(
                    () ->
                        JibImagePlan.plan(dockerfile, context, Map.of(), BaseImages.anonymous())));
    assertThat(thrown)
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains(".dockerignore")
                  .contains("a character device, not a regular file");
              assertThat(e.suggestion()).contains("regular file");
            });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "RUN apk add curl                     | Dockerfile:3 | RUN",
        "FROM scratch AS second               | Dockerfile:3 | multi-stage",
        "COPY --from=build /out /app          | Dockerfile:3 | --from",
        "ADD https://example.com/x.tgz /x     | Dockerfile:3 | URL",
        "ADD archive.tar.gz /x/               | Dockerfile:3 | archive",
        "COPY --chown=app:app a.txt /a        | Dockerfile:3 | numeric",
        "HEALTHCHECK CMD true                 | Dockerfile:3 | HEALTHCHECK",
        "SHELL [\"/bin/bash\", \"-c\"]        | Dockerfile:3 | SHELL",
        "ONBUILD COPY a.txt /                 | Dockerfile:3 | ONBUILD",
      })
  void rejectsWhatJibCannotDoNamingTheLineAndTheWayOut(String line, String where, String what)
      throws Exception {
    Path context = context(Map.of("a.txt", "a"));
    try (var out =
        new java.util.zip.GZIPOutputStream(
            Files.newOutputStream(context.resolve("archive.tar.gz")))) {
      out.write("not really a tar".getBytes());
    }
    Dockerfile dockerfile = Dockerfile.parse("FROM scratch\nENV A=1\n" + line + "\n", "Dockerfile");

    assertThatThrownBy(
            () -> JibImagePlan.plan(dockerfile, context, Map.of(), BaseImages.anonymous()))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.DOCKERFILE_UNSUPPORTED);
              assertThat(e.getMessage()).contains(where).contains(what);
              assertThat(e.suggestion()).contains("buildMode: local-docker").contains("COPY it");
            });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "COPY a.txt b.txt /dest     | must be a folder",
        "COPY missing.txt /         | not in the build context",
        "COPY ../outside /          | outside the build context",
        "EXPOSE 80/sctp             | EXPOSE takes",
        "LABEL a=1 b                | name=value",
      })
  void rejectsMistakesAsInvalidSpecWithTheLine(String line, String what) throws Exception {
    Path context = context(Map.of("a.txt", "a", "b.txt", "b"));
    Dockerfile dockerfile = Dockerfile.parse("FROM scratch\n" + line + "\n", "Dockerfile");

    assertThatThrownBy(
            () -> JibImagePlan.plan(dockerfile, context, Map.of(), BaseImages.anonymous()))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
              assertThat(e.getMessage()).contains("Dockerfile:2").contains(what);
            });
  }

  @Test
  void aCancelledBuildStopsWithCancelled() throws Exception {
    Path context = context(Map.of("a.txt", "a"));
    var plan =
        JibImagePlan.plan(
            Dockerfile.parse("FROM scratch\nCOPY a.txt /\n", "Dockerfile"),
            context,
            Map.of(),
            BaseImages.anonymous());
    Cancellation cancellation = new Cancellation();
    cancellation.cancel(Cancellation.Reason.CANCELLED);

    assertThatThrownBy(
            () ->
                new JibBuilder(null, dir.resolve("cache"))
                    .build(
                        plan,
                        new JibBuilder.Tar(dir.resolve("c.tar"), "c:v1"),
                        (s, t) -> {},
                        cancellation))
        .isInstanceOfSatisfying(
            ActionException.class, e -> assertThat(e.code()).isEqualTo(ActionCodes.CANCELLED));
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aCancelDuringTheBuildInterruptsIt() throws Exception {
    Path context = context(Map.of("a.txt", "a"));
    var plan =
        JibImagePlan.plan(
            Dockerfile.parse("FROM scratch\nCOPY a.txt /\n", "Dockerfile"),
            context,
            Map.of(),
            BaseImages.anonymous());
    Cancellation cancellation = new Cancellation();

    assertThatThrownBy(
            () ->
                new JibBuilder(null, dir.resolve("cache"))
                    .build(
                        plan,
                        new JibBuilder.Tar(dir.resolve("c.tar"), "c:v1"),
                        (s, t) -> cancellation.cancel(Cancellation.Reason.TIMEOUT),
                        cancellation))
        .isInstanceOfSatisfying(
            ActionException.class, e -> assertThat(e.code()).isEqualTo(ActionCodes.TIMEOUT));
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void anUnreachableRegistryIsNamedWithoutThePassword() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    var plan =
        JibImagePlan.plan(
            Dockerfile.parse("FROM scratch\nENV A=1\n", "Dockerfile"),
            context(Map.of()),
            Map.of(),
            BaseImages.anonymous());
    var target = new JibBuilder.Registry("127.0.0.1:" + port + "/img:v1", "user", "s3cret", true);

    assertThatThrownBy(
            () ->
                new JibBuilder(null, dir.resolve("cache"))
                    .build(plan, target, (s, t) -> {}, new Cancellation()))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_UNREACHABLE);
              assertThat(e.getMessage()).contains("127.0.0.1:" + port).doesNotContain("s3cret");
            });
  }
}
