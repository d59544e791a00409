package dev.grove.sandbox.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

/**
 * The images the sandbox provides in its registry, made from busybox-static's binary: {@value
 * #PAUSE}, the pod sandbox image containerd starts first in every pod (a shell that waits until
 * SIGTERM or SIGINT), and {@value #BUSYBOX_IMAGE}, a base image for users' images ({@code /bin}
 * with every busybox applet, {@code /etc/passwd} and {@code /etc/group} with root and nobody,
 * {@code /tmp}, {@code /var/www}). Both share one layer. Pushed over the registry's HTTP API with
 * Basic auth, only what the registry lacks: the layer's bytes never change (fixed time stamps), so
 * pushing again is a no-op.
 */
public final class SandboxImages {

  /** The version of busybox-static the images are made from (Debian 12's). */
  public static final String BUSYBOX_VERSION = "1.35";

  /** The pause image, repository and tag. */
  public static final String PAUSE = "grove/pause:1";

  /** The base image, repository and tag. */
  public static final String BUSYBOX_IMAGE = "grove/busybox:" + BUSYBOX_VERSION;

  /** What the pause container runs: as PID 1, a shell exits on a signal only if it traps it. */
  static final List<String> PAUSE_ENTRYPOINT =
      List.of(
          "/bin/busybox",
          "sh",
          "-c",
          "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait; done");

  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final String MANIFEST_TYPE =
      "application/vnd.docker.distribution.manifest.v2+json";
  private static final String CONFIG_TYPE = "application/vnd.docker.container.image.v1+json";
  private static final String LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  private SandboxImages() {}

  /** One image as pushed: its reference, its manifest's digest, whether this push wrote it. */
  public record Pushed(String reference, String digest, boolean written) {}

  /** An image built in memory: its manifest, config and the one layer. */
  record Built(String repository, String tag, byte[] manifest, byte[] config, Layer layer) {
    String digest() {
      return TarLayer.sha256(manifest);
    }
  }

  /** A layer: gzipped blob and the digest of its uncompressed tar (the config's diff id). */
  record Layer(byte[] blob, String diffId) {
    String digest() {
      return TarLayer.sha256(blob);
    }
  }

  /**
   * Builds both images from {@code busybox} (a static binary) and pushes what {@code registry}
   * ({@code HOST:PORT}, plain HTTP) lacks, as {@code user}/{@code password}.
   *
   * @throws IOException when the binary cannot be read or run, or the registry refuses
   */
  public static List<Pushed> push(
      Path busybox, String registry, String user, String password, Duration timeout)
      throws IOException {
    Layer layer = layer(busybox);
    List<Pushed> pushed = new ArrayList<>();
    Registry client = new Registry(registry, user, password, timeout);
    for (Built image : List.of(pause(layer), base(layer))) {
      pushed.add(client.push(image));
    }
    return pushed;
  }

  /** The shared layer: busybox, its applets as links, the few files a base image needs. */
  static Layer layer(Path busybox) throws IOException {
    byte[] binary = Files.readAllBytes(busybox);
    TarLayer tar = new TarLayer().folder("bin", 0755).file("bin/busybox", 0755, binary);
    for (String applet : applets(busybox)) {
      tar.symlink("bin/" + applet, "busybox");
    }
    tar.folder("etc", 0755)
        .file(
            "etc/passwd",
            0644,
            ("root:x:0:0:root:/root:/bin/sh\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
                .getBytes(StandardCharsets.UTF_8))
        .file("etc/group", 0644, "root:x:0:\nnobody:x:65534:\n".getBytes(StandardCharsets.UTF_8))
        .folder("root", 0700)
        .folder("tmp", 01777)
        .folder("var", 0755)
        .folder("var/www", 0755);
    return new Layer(tar.gzip(), TarLayer.sha256(tar.tar()));
  }

  /** {@code busybox --list}, sorted, without busybox itself. */
  static List<String> applets(Path busybox) throws IOException {
    NetnsNetwork.Result listed =
        NetnsNetwork.Commands.run(List.of(busybox.toString(), "--list"), Duration.ofSeconds(10));
    if (listed.exitCode() != 0) {
      throw new IOException(busybox + " --list failed: " + listed.output().strip());
    }
    TreeSet<String> applets = new TreeSet<>();
    for (String line : listed.output().split("\n")) {
      String name = line.strip();
      if (!name.isEmpty() && !name.equals("busybox") && !name.contains("/")) {
        applets.add(name);
      }
    }
    return List.copyOf(applets);
  }

  static Built pause(Layer layer) {
    return image(PAUSE, layer, "\"Entrypoint\":" + jsonArray(PAUSE_ENTRYPOINT));
  }

  static Built base(Layer layer) {
    return image(BUSYBOX_IMAGE, layer, "\"Cmd\":[\"sh\"]");
  }

  private static Built image(String nameAndTag, Layer layer, String command) {
    int colon = nameAndTag.lastIndexOf(':');
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\","
                + "\"created\":\"1970-01-01T00:00:00Z\","
                + "\"config\":{\"Env\":[\"PATH="
                + PATH
                + "\"],"
                + command
                + ",\"WorkingDir\":\"/\"},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + layer.diffId()
                + "\"]},"
                + "\"history\":[{\"created\":\"1970-01-01T00:00:00Z\","
                + "\"created_by\":\"grove sandbox: busybox-static "
                + BUSYBOX_VERSION
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MANIFEST_TYPE
                + "\",\"config\":{\"mediaType\":\""
                + CONFIG_TYPE
                + "\",\"size\":"
                + config.length
                + ",\"digest\":\""
                + TarLayer.sha256(config)
                + "\"},\"layers\":[{\"mediaType\":\""
                + LAYER_TYPE
                + "\",\"size\":"
                + layer.blob().length
                + ",\"digest\":\""
                + layer.digest()
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    return new Built(
        nameAndTag.substring(0, colon), nameAndTag.substring(colon + 1), manifest, config, layer);
  }

  private static String jsonArray(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (String value : values) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return out.append(']').toString();
  }

  /** The distribution API's few calls a push needs, over plain HTTP with Basic auth. */
  private static final class Registry {
    private final String base;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;

    Registry(String registry, String user, String password, Duration timeout) {
      this.base = "http://" + registry;
      this.authorization =
          user == null
              ? null
              : "Basic "
                  + Base64.getEncoder()
                      .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      this.timeout = timeout;
      this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    Pushed push(Built image) throws IOException {
      String reference =
          base.substring("http://".length()) + "/" + image.repository() + ":" + image.tag();
      HttpResponse<Void> head =
          send(
              request("/v2/" + image.repository() + "/manifests/" + image.tag())
                  .header("Accept", MANIFEST_TYPE)
                  .method("HEAD", HttpRequest.BodyPublishers.noBody()),
              HttpResponse.BodyHandlers.discarding());
      if (head.statusCode() == 200
          && head.headers()
              .firstValue("Docker-Content-Digest")
              .map(image.digest()::equals)
              .orElse(false)) {
        return new Pushed(reference, image.digest(), false);
      }
      blob(image.repository(), image.layer().digest(), image.layer().blob());
      blob(image.repository(), TarLayer.sha256(image.config()), image.config());
      HttpResponse<String> put =
          send(
              request("/v2/" + image.repository() + "/manifests/" + image.tag())
                  .header("Content-Type", MANIFEST_TYPE)
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(image.manifest())),
              HttpResponse.BodyHandlers.ofString());
      expect(put, 201, "PUT manifest " + reference);
      return new Pushed(reference, image.digest(), true);
    }

    private void blob(String repository, String digest, byte[] bytes) throws IOException {
      HttpResponse<Void> head =
          send(
              request("/v2/" + repository + "/blobs/" + digest)
                  .method("HEAD", HttpRequest.BodyPublishers.noBody()),
              HttpResponse.BodyHandlers.discarding());
      if (head.statusCode() == 200) {
        return;
      }
      HttpResponse<String> started =
          send(
              request("/v2/" + repository + "/blobs/uploads/")
                  .POST(HttpRequest.BodyPublishers.noBody()),
              HttpResponse.BodyHandlers.ofString());
      expect(started, 202, "POST blob upload to " + repository);
      String location =
          started
              .headers()
              .firstValue("Location")
              .orElseThrow(() -> new IOException("The registry gave no upload location"));
      URI upload = URI.create(base + "/").resolve(location);
      String separator = upload.getQuery() == null ? "?" : "&";
      HttpRequest.Builder put =
          HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
              .timeout(timeout)
              .header("Content-Type", "application/octet-stream")
              .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
      if (authorization != null) {
        put.header("Authorization", authorization);
      }
      expect(send(put, HttpResponse.BodyHandlers.ofString()), 201, "PUT blob " + digest);
    }

    private HttpRequest.Builder request(String path) {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
      if (authorization != null) {
        builder.header("Authorization", authorization);
      }
      return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
        throws IOException {
      try {
        return http.send(request.build(), body);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("Interrupted talking to " + base);
      }
    }

    private void expect(HttpResponse<?> response, int status, String what) throws IOException {
      if (response.statusCode() != status) {
        throw new IOException(
            what
                + " answered HTTP "
                + response.statusCode()
                + (response.statusCode() == 401 ? " (wrong registry user or password)" : "")
                + ": "
                + response.body());
      }
    }
  }
}
