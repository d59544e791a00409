package dev.grove.sandbox.kubelet;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.grove.sandbox.cri.CriClient;
import dev.grove.sandbox.cri.v1.ListPodSandboxRequest;
import dev.grove.sandbox.cri.v1.PodSandbox;
import dev.grove.sandbox.node.LinuxNode;
import dev.grove.sandbox.node.NodeNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * A small real node for the CRI kubelet's tests (until the sandbox's own node is merged):
 * containerd (its own root, state, socket and CNI bridge config in a temporary folder) started in a
 * network namespace this fixture creates; a registry with a login ({@code docker-registry},
 * htpasswd) on the machine's loopback, relayed into the namespace at the same address; two images
 * pushed to it, built from busybox-static: {@code grove/pause:1} (sleeps) and {@code
 * grove/busybox:1.35}. {@link #close} stops everything and removes the namespace.
 */
final class ContainerdFixture implements LinuxNode, NodeNetwork {

  static final String USER = "grove";
  static final String PASSWORD = "sandbox-secret";

  /** The few libc calls that let a thread enter the node's network namespace. */
  interface LibC extends Library {
    int open(String path, int flags);

    int setns(int fd, int nstype);

    int close(int fd);
  }

  private static final int CLONE_NEWNET = 0x40000000;

  private final Path dir;
  private final String netns;
  private final String cgroupParent;
  private final int registryPort;
  private final List<Process> processes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private LibC libc;

  /** Skips the test (with what is missing) where containerd cannot run here. */
  static void assumeSupported() {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "not root: containerd needs root");
    for (String tool :
        List.of(
            "/usr/bin/containerd",
            "/usr/sbin/runc",
            "/usr/lib/cni/bridge",
            "/usr/bin/docker-registry",
            "/usr/bin/htpasswd",
            "/bin/busybox")) {
      Assumptions.assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed");
    }
  }

  ContainerdFixture() throws Exception {
    String id = Long.toHexString(System.nanoTime() & 0xffffffL);
    this.dir = Files.createTempDirectory("grove-cri-");
    this.netns = "grove-cri-" + id;
    this.cgroupParent = "/grove-cri-" + id;
    this.registryPort = freePort();
    try {
      startRegistry();
      run(List.of("ip", "netns", "add", netns));
      run(List.of("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up"));
      libc = Native.load("c", LibC.class);
      relayRegistry();
      pushImages();
      startContainerd();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  String registry() {
    return "127.0.0.1:" + registryPort;
  }

  String busybox() {
    return registry() + "/grove/busybox:1.35";
  }

  Path dir() {
    return dir;
  }

  // --- LinuxNode -------------------------------------------------------------------------------

  @Override
  public Path criSocket() {
    return dir.resolve("containerd.sock");
  }

  @Override
  public NodeNetwork network() {
    return this;
  }

  @Override
  public String pauseImage() {
    return registry() + "/grove/pause:1";
  }

  @Override
  public String registryUser() {
    return USER;
  }

  @Override
  public String registryPassword() {
    return PASSWORD;
  }

  @Override
  public String cgroupParent() {
    return cgroupParent;
  }

  @Override
  public Path podLogs() {
    return dir.resolve("pods");
  }

  // --- NodeNetwork -----------------------------------------------------------------------------

  @Override
  public String namespace() {
    return netns;
  }

  @Override
  public <T> T inNode(Callable<T> task) throws IOException {
    FutureTask<T> future =
        new FutureTask<>(
            () -> {
              int fd = libc.open("/var/run/netns/" + netns, 0);
              if (fd < 0) {
                throw new IOException("network namespace " + netns + " is gone");
              }
              try {
                if (libc.setns(fd, CLONE_NEWNET) != 0) {
                  throw new IOException("setns into " + netns + " failed");
                }
              } finally {
                libc.close(fd);
              }
              return task.call();
            });
    Thread thread = new Thread(future, "in-node");
    thread.setDaemon(true);
    thread.start();
    try {
      return future.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new IOException(e);
    }
  }

  @Override
  public int run(List<String> command, Duration timeout) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns));
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  // --- setting up ------------------------------------------------------------------------------

  private void startRegistry() throws Exception {
    Path htpasswd = dir.resolve("htpasswd");
    Process hash =
        new ProcessBuilder("htpasswd", "-Bbn", USER, PASSWORD)
            .redirectOutput(htpasswd.toFile())
            .start();
    if (!hash.waitFor(30, TimeUnit.SECONDS) || hash.exitValue() != 0) {
      throw new IOException("htpasswd failed");
    }
    Path config = dir.resolve("registry.yml");
    Files.writeString(
        config,
        "version: 0.1\n"
            + "log:\n  level: error\n"
            + "storage:\n  filesystem:\n    rootdirectory: "
            + dir.resolve("registry")
            + "\n"
            + "http:\n  addr: 127.0.0.1:"
            + registryPort
            + "\n"
            + "auth:\n  htpasswd:\n    realm: grove\n    path: "
            + htpasswd
            + "\n");
    processes.add(
        new ProcessBuilder("docker-registry", "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start());
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 100; i++) {
      try {
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + registry() + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IOException(
        "the registry did not start: " + Files.readString(dir.resolve("registry.log")));
  }

  /** The registry's port inside the node, relayed to the machine's loopback. */
  private void relayRegistry() throws IOException {
    ServerSocketChannel server =
        inNode(
            () -> {
              ServerSocketChannel s = ServerSocketChannel.open();
              s.bind(new InetSocketAddress("127.0.0.1", registryPort));
              return s;
            });
    closeables.add(server);
    Thread accept =
        new Thread(
            () -> {
              while (server.isOpen()) {
                try {
                  SocketChannel inside = server.accept();
                  SocketChannel outside =
                      SocketChannel.open(new InetSocketAddress("127.0.0.1", registryPort));
                  pump(inside, outside);
                  pump(outside, inside);
                } catch (IOException e) {
                  return;
                }
              }
            },
            "registry-relay");
    accept.setDaemon(true);
    accept.start();
  }

  private static void pump(SocketChannel from, SocketChannel to) {
    Thread t =
        new Thread(
            () -> {
              try {
                dev.grove.sandbox.node.ChannelCopy.copy(from, to, 64 * 1024);
              } catch (IOException e) {
                // one side went away
              }
              try {
                from.close();
              } catch (IOException e) {
                // closing
              }
            },
            "registry-relay-pump");
    t.setDaemon(true);
    t.start();
  }

  private void pushImages() throws Exception {
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("bin"));
    for (String d : List.of("tmp", "etc", "proc", "sys", "dev", "www")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
    Process list = new ProcessBuilder("/bin/busybox", "--list").start();
    String applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    list.waitFor(10, TimeUnit.SECONDS);
    for (String applet : applets.split("\n")) {
      if (!applet.isBlank() && !applet.equals("busybox")) {
        Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet.strip()), Path.of("busybox"));
      }
    }
    Files.writeString(
        rootfs.resolve("etc/passwd"),
        "root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
    Files.writeString(rootfs.resolve("www/index.html"), "hello from busybox httpd\n");
    Path tar = dir.resolve("layer.tar");
    run(
        List.of(
            "tar",
            "--numeric-owner",
            "--owner=0",
            "--group=0",
            "-C",
            rootfs.toString(),
            "-cf",
            tar.toString(),
            "."));
    byte[] layer = Files.readAllBytes(tar);
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(layer);
    }
    byte[] layerGz = gz.toByteArray();
    push("grove/busybox", "1.35", layer, layerGz, "[\"sh\"]");
    push("grove/pause", "1", layer, layerGz, "[\"sleep\",\"2147483647\"]");
  }

  private void push(String repository, String tag, byte[] layer, byte[] layerGz, String cmd)
      throws Exception {
    String config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"],"
            + "\"Cmd\":"
            + cmd
            + "},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
            + digest(layer)
            + "\"]}}";
    byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
    upload(repository, layerGz);
    upload(repository, configBytes);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
            + digest(configBytes)
            + "\",\"size\":"
            + configBytes.length
            + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
            + "\"digest\":\""
            + digest(layerGz)
            + "\",\"size\":"
            + layerGz.length
            + "}]}";
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                authed(
                        URI.create(
                            "http://" + registry() + "/v2/" + repository + "/manifests/" + tag))
                    .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                    .PUT(HttpRequest.BodyPublishers.ofString(manifest))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 201) {
      throw new IOException("manifest push: " + put.statusCode() + " " + put.body());
    }
  }

  private void upload(String repository, byte[] blob) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> start =
        http.send(
            authed(URI.create("http://" + registry() + "/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String location = start.headers().firstValue("Location").orElseThrow();
    URI uri = URI.create("http://" + registry()).resolve(location);
    String sep = uri.getQuery() == null ? "?" : "&";
    HttpResponse<String> put =
        http.send(
            authed(URI.create(uri + sep + "digest=" + digest(blob)))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 201) {
      throw new IOException("blob push: " + put.statusCode() + " " + put.body());
    }
  }

  private static HttpRequest.Builder authed(URI uri) {
    return HttpRequest.newBuilder(uri)
        .header(
            "Authorization",
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
  }

  static String digest(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private void startContainerd() throws Exception {
    Path cni = dir.resolve("cni");
    Files.createDirectories(cni);
    Files.writeString(
        cni.resolve("10-grove.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"grove\",\"plugins\":[{\"type\":\"bridge\","
            + "\"bridge\":\""
            + BRIDGE
            + "\",\"isGateway\":true,\"ipMasq\":false,\"hairpinMode\":true,"
            + "\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\""
            + POD_CIDR
            + "\",\"gateway\":\""
            + GATEWAY
            + "\"}]],\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dataDir\":\""
            + dir.resolve("cni-data")
            + "\"}}]}");
    Path config = dir.resolve("containerd.toml");
    String cri = "[plugins.\"io.containerd.grpc.v1.cri\"]";
    Files.writeString(
        config,
        "version = 2\n"
            + "root = \""
            + dir.resolve("root")
            + "\"\n"
            + "state = \""
            + dir.resolve("state")
            + "\"\n"
            + "disabled_plugins = [\"io.containerd.snapshotter.v1.btrfs\","
            + " \"io.containerd.snapshotter.v1.zfs\", \"io.containerd.snapshotter.v1.devmapper\","
            + " \"io.containerd.snapshotter.v1.aufs\"]\n"
            + "[grpc]\n  address = \""
            + criSocket()
            + "\"\n"
            + "[ttrpc]\n  address = \""
            + dir.resolve("containerd.ttrpc.sock")
            + "\"\n"
            + "[plugins]\n"
            + "  "
            + cri
            + "\n"
            + "    sandbox_image = \""
            + pauseImage()
            + "\"\n"
            + "    stream_server_address = \"127.0.0.1\"\n"
            + "    stream_server_port = \"0\"\n"
            + "    disable_apparmor = true\n"
            // this machine refuses lowering oom_score_adj (the pause container's -998)
            + "    restrict_oom_score_adj = true\n"
            + "    [plugins.\"io.containerd.grpc.v1.cri\".cni]\n"
            + "      bin_dir = \"/usr/lib/cni\"\n"
            + "      conf_dir = \""
            + cni
            + "\"\n"
            + "  [plugins.\"io.containerd.internal.v1.opt\"]\n"
            + "    path = \""
            + dir.resolve("opt")
            + "\"\n");
    processes.add(
        new ProcessBuilder(
                "nsenter",
                "--net=/var/run/netns/" + netns,
                "containerd",
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("containerd.log").toFile())
            .start());
    for (int i = 0; i < 200; i++) {
      if (Files.exists(criSocket())) {
        try (CriClient client = new CriClient(criSocket())) {
          client.version();
          return;
        } catch (CriClient.CriException e) {
          // not serving CRI yet
        }
      }
      Thread.sleep(100);
    }
    throw new IOException(
        "containerd did not start: " + Files.readString(dir.resolve("containerd.log")));
  }

  // --- tearing down ----------------------------------------------------------------------------

  @Override
  public void close() {
    if (Files.exists(criSocket())) {
      try (CriClient client = new CriClient(criSocket())) {
        for (PodSandbox s :
            client.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
          client.stopPodSandbox(s.getId());
          client.removePodSandbox(s.getId());
        }
      } catch (CriClient.CriException e) {
        // containerd is not serving: its shims are killed below
      }
    }
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    killShims();
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // closing
      }
    }
    unmountAll();
    try {
      run(List.of("ip", "netns", "delete", netns));
    } catch (IOException e) {
      // not created
    }
    removeCgroups();
    try {
      Files.createDirectories(Path.of("target"));
      Files.copy(
          dir.resolve("containerd.log"),
          Path.of("target", "containerd-last.log"), // for a failed test's reader
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // no log
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // left for the temporary folder's cleaning
    }
  }

  /** containerd's shims of this node (their command line names its folder). */
  private void killShims() {
    ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(c -> c.contains("containerd-shim") && c.contains(dir.toString()))
                    .orElse(false))
        .forEach(
            p -> {
              p.descendants().forEach(ProcessHandle::destroyForcibly);
              p.destroyForcibly();
            });
  }

  private void unmountAll() {
    try {
      List<String> mounts = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 1 && f[1].startsWith(dir.toString())) {
          mounts.add(f[1]);
        }
      }
      mounts.sort(Comparator.reverseOrder());
      for (String m : mounts) {
        run(List.of("umount", "-l", m));
      }
    } catch (IOException e) {
      // nothing mounted
    }
  }

  private void removeCgroups() {
    try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path controller : controllers.toList()) {
        Path parent = controller.resolve(cgroupParent.substring(1));
        if (Files.isDirectory(parent)) {
          try (Stream<Path> tree = Files.walk(parent)) {
            tree.sorted(Comparator.reverseOrder())
                .filter(Files::isDirectory)
                .forEach(p -> p.toFile().delete());
          }
        }
      }
    } catch (IOException e) {
      // no cgroups of ours
    }
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
