package dev.grove.sandbox.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.process.CommandLines;
import dev.grove.sandbox.node.ContainerdNode;
import dev.grove.sandbox.node.NetnsNetwork;
import dev.grove.sandbox.node.NodeNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node: containerd in its own network namespace, the registry relayed into it, the sandbox's
 * images running there, the pods' network inside the namespace only, and nothing left after close
 * or after {@link ContainerdNode#cleanUp} of a node whose JVM died.
 */
class ContainerdNodeIT {

  private static final Duration CTR = Duration.ofSeconds(60);

  @TempDir static Path dir;
  static NodeFixture fixture;

  private static final String PAUSE_SCRIPT =
      "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait; done";

  @BeforeAll
  static void start() throws Exception {
    NodeFixture.assumeAvailable();
    fixture = NodeFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void containerdAnswersOnItsSocketInTheNodeNamespace() throws Exception {
    ContainerdNode node = fixture.node();
    NetnsNetwork.Result version = node.ctr(List.of("version"), CTR);
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output()).contains("Server:");
    assertThat(node.criSocket()).exists();
    assertThat(Files.readSymbolicLink(Path.of("/proc", String.valueOf(node.pid()), "ns", "net")))
        .as("containerd runs in the node's network namespace")
        .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
    assertThat(node.network().namespace()).startsWith("grove-");
    assertThat(NetnsNetwork.exists(node.network().namespace())).isTrue();
  }

  @Test
  void theRegistryAnswersInsideTheNodeAtItsMachineAddress() throws Exception {
    NodeNetwork network = fixture.node().network();
    try (SocketChannel channel =
        network.connect(
            new InetSocketAddress("127.0.0.1", fixture.registryPort()), Duration.ofSeconds(5))) {
      assertThat(httpStatusLine(channel, "/v2/")).startsWith("HTTP/1.0 401");
    }
    // and the node's loopback is its own: the sandbox API's port is not there
    try (java.net.ServerSocket machineOnly =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(
              network.run(
                  List.of(
                      ContainerdNode.BUSYBOX.toString(),
                      "nc",
                      "-z",
                      "-w",
                      "2",
                      "127.0.0.1",
                      String.valueOf(machineOnly.getLocalPort())),
                  Duration.ofSeconds(10)))
          .isNotZero();
    }
  }

  @Test
  void theGatewayAddressCanBeListenedOnBeforeAnyPod() throws Exception {
    NodeNetwork network = fixture.node().network();
    try (java.nio.channels.DatagramChannel dns =
        network.inNode(
            () ->
                java.nio.channels.DatagramChannel.open()
                    .bind(new InetSocketAddress(NodeNetwork.GATEWAY, 0)))) {
      assertThat(((InetSocketAddress) dns.getLocalAddress()).getAddress().getHostAddress())
          .isEqualTo(NodeNetwork.GATEWAY);
    }
  }

  @Test
  void theSandboxImagesRunInTheNode() throws Exception {
    ContainerdNode node = fixture.node();
    String credentials = NodeFixture.USER + ":" + NodeFixture.PASSWORD;
    for (String image : List.of(fixture.busyboxImage(), fixture.pauseImage())) {
      NetnsNetwork.Result pulled =
          node.ctr(List.of("images", "pull", "--plain-http", "--user", credentials, image), CTR);
      assertThat(pulled.exitCode()).as(pulled.output()).isZero();
    }
    NetnsNetwork.Result ran =
        node.ctr(
            List.of(
                "run",
                "--rm",
                "--cgroup",
                node.cgroupParent() + "/busybox-test",
                fixture.busyboxImage(),
                "busybox-test",
                "sh",
                "-c",
                "ls -l /bin/sh /bin/httpd /bin/wget /bin/nc && cat /etc/passwd && stat -c %a /tmp"),
            CTR);
    assertThat(ran.exitCode()).as(ran.output()).isZero();
    assertThat(ran.output())
        .contains("/bin/sh -> busybox", "/bin/httpd -> busybox", "nobody:x:65534", "1777");

    NetnsNetwork.Result started =
        node.ctr(
            List.of(
                "run",
                "-d",
                "--cgroup",
                node.cgroupParent() + "/pause-test",
                fixture.pauseImage(),
                "pause-test"),
            CTR);
    assertThat(started.exitCode()).as(started.output()).isZero();
    Thread.sleep(300); // the shell sets its trap first
    assertThat(taskStatus(node, "pause-test")).isEqualTo("RUNNING");
    node.ctr(List.of("tasks", "kill", "--signal", "SIGTERM", "pause-test"), CTR);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!taskStatus(node, "pause-test").equals("STOPPED") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(taskStatus(node, "pause-test")).as("pause exits on SIGTERM").isEqualTo("STOPPED");
    NetnsNetwork.Result deleted = node.ctr(List.of("tasks", "delete", "pause-test"), CTR);
    assertThat(deleted.exitCode()).as(deleted.output()).isZero();
    node.ctr(List.of("containers", "delete", "pause-test"), CTR);
  }

  @Test
  void thePodNetworkLivesInTheNodeNamespaceOnly() throws Exception {
    ContainerdNode node = fixture.node();
    String pod = "grove-test-pod-" + ProcessHandle.current().pid();
    Path conf = dir.resolve("bridge.json");
    // the conflist's bridge plugin, as CRI runs it for a pod
    String conflist = Files.readString(node.dir().resolve("net.d/10-grove.conflist"));
    String plugin = conflist.substring(conflist.indexOf("{\n      \"type\""));
    plugin = plugin.substring(0, plugin.lastIndexOf(']'));
    plugin = plugin.substring(0, plugin.lastIndexOf('}') + 1);
    Files.writeString(
        conf, "{\"cniVersion\": \"0.4.0\", \"name\": \"grove\", " + plugin.strip().substring(1));
    Path web = Files.createDirectories(dir.resolve("www"));
    Files.writeString(web.resolve("index.html"), "hello from the pod\n");
    run(List.of("ip", "netns", "add", pod));
    Process httpd = null;
    try {
      NetnsNetwork.Result added = cni(node, "ADD", pod, conf);
      assertThat(added.exitCode()).as(added.output()).isZero();
      assertThat(added.output()).contains("10.42.0.");
      String podIp =
          added.output().replaceAll("(?s).*\"address\":\\s*\"(10\\.42\\.0\\.\\d+)/24\".*", "$1");
      httpd =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  pod,
                  ContainerdNode.BUSYBOX.toString(),
                  "httpd",
                  "-f",
                  "-p",
                  "8080",
                  "-h",
                  web.toString())
              .redirectErrorStream(true)
              .start();
      String status = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!status.contains("200") && System.nanoTime() < deadline) {
        try (SocketChannel channel =
            node.network().connect(new InetSocketAddress(podIp, 8080), Duration.ofSeconds(2))) {
          status = httpStatusLine(channel, "/index.html");
        } catch (IOException notYet) {
          Thread.sleep(100);
        }
      }
      assertThat(status).as("the pod answers from the node").matches("HTTP/1\\.[01] 200.*");

      assertThat(node.network().exec(List.of("ip", "-4", "addr", "show", "grove0"), CTR).output())
          .contains("10.42.0.1/24");
      String machine = run(List.of("ip", "-4", "addr")) + run(List.of("ip", "link"));
      assertThat(machine).doesNotContain("10.42.", "10.88.", "grove0");
      assertThat(run(List.of("ip", "route")))
          .as("the machine has no route of its own to the pods")
          .doesNotContain("10.42.");
    } finally {
      if (httpd != null) {
        httpd.destroyForcibly();
        httpd.waitFor(10, TimeUnit.SECONDS);
      }
      cni(node, "DEL", pod, conf);
      run(List.of("ip", "netns", "delete", pod));
    }
  }

  @Test
  void closeLeavesNothingRunningMountedOrNamed(@TempDir Path own) throws Exception {
    NodeFixture other = NodeFixture.start(own);
    ContainerdNode node = other.node();
    String netns = node.network().namespace();
    long containerd = node.pid();
    try {
      runPause(other);
    } finally {
      other.close();
    }
    assertNothingLeft(own.resolve("node"), node.criSocket(), netns, containerd);
  }

  @Test
  void cleanUpStopsANodeWhoseJvmDied(@TempDir Path own) throws Exception {
    try (NodeFixture other = NodeFixture.start(own)) {
      ContainerdNode node = other.node();
      runPause(other);
      String netns = node.network().namespace();
      long containerd = node.pid();
      // as `grove sandbox down` after a SIGKILLed sandbox: only the folder is known
      ContainerdNode.cleanUp(own.resolve("node"));
      assertNothingLeft(own.resolve("node"), node.criSocket(), netns, containerd);
    }
  }

  private static void runPause(NodeFixture other) throws IOException {
    ContainerdNode node = other.node();
    NetnsNetwork.Result pulled =
        node.ctr(
            List.of(
                "images",
                "pull",
                "--plain-http",
                "--user",
                NodeFixture.USER + ":" + NodeFixture.PASSWORD,
                other.pauseImage()),
            CTR);
    assertThat(pulled.exitCode()).as(pulled.output()).isZero();
    NetnsNetwork.Result started =
        node.ctr(
            List.of(
                "run",
                "-d",
                "--cgroup",
                node.cgroupParent() + "/left-running",
                other.pauseImage(),
                "left-running"),
            CTR);
    assertThat(started.exitCode()).as(started.output()).isZero();
    assertThat(shims(node.criSocket())).isNotEmpty();
    assertThat(ContainerdNode.mountPointsUnder(List.of(node.dir()))).isNotEmpty();
  }

  private static void assertNothingLeft(Path nodeDir, Path socket, String netns, long containerd)
      throws IOException, InterruptedException {
    assertThat(ProcessHandle.of(containerd).map(ProcessHandle::isAlive).orElse(false))
        .as("containerd stopped")
        .isFalse();
    assertThat(shims(socket)).as("no shim left").isEmpty();
    assertThat(
            ProcessHandle.allProcesses()
                .filter(p -> CommandLines.of(p.pid()).contains(PAUSE_SCRIPT))
                .map(ProcessHandle::pid)
                .toList())
        .as("no pause container left running")
        .isEmpty();
    assertThat(NetnsNetwork.exists(netns)).as("namespace %s deleted", netns).isFalse();
    assertThat(run(List.of("ip", "netns", "list"))).doesNotContain(netns);
    assertThat(ContainerdNode.mountPointsUnder(List.of(nodeDir))).as("mounts").isEmpty();
    String hash = netns.substring("grove-".length());
    assertThat(Path.of("/run/grove-" + hash)).doesNotExist();
    assertThat(Path.of("/sys/fs/cgroup/memory/grove-" + hash)).doesNotExist();
    assertThat(
            ProcessHandle.allProcesses()
                .filter(
                    p -> String.join(" ", CommandLines.of(p.pid())).contains(nodeDir.toString()))
                .map(p -> p.pid() + " " + CommandLines.of(p.pid()))
                .toList())
        .as("no process names the node's folder")
        .isEmpty();
  }

  private static List<Long> shims(Path socket) {
    return ProcessHandle.allProcesses()
        .filter(p -> CommandLines.of(p.pid()).contains(socket.toString()))
        .filter(p -> CommandLines.of(p.pid()).get(0).contains("containerd-shim"))
        .map(ProcessHandle::pid)
        .toList();
  }

  private static String taskStatus(ContainerdNode node, String id) throws IOException {
    for (String line : node.ctr(List.of("tasks", "ls"), CTR).output().split("\n")) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length >= 3 && fields[0].equals(id)) {
        return fields[2];
      }
    }
    return "";
  }

  private static NetnsNetwork.Result cni(ContainerdNode node, String command, String pod, Path conf)
      throws IOException {
    return node.network()
        .exec(
            List.of(
                "sh",
                "-c",
                "CNI_COMMAND="
                    + command
                    + " CNI_CONTAINERID=grove-test CNI_NETNS=/var/run/netns/"
                    + pod
                    + " CNI_IFNAME=eth0 CNI_PATH="
                    + ContainerdNode.CNI_BIN
                    + " "
                    + ContainerdNode.CNI_BIN.resolve("bridge")
                    + " < "
                    + conf),
            CTR);
  }

  private static String httpStatusLine(SocketChannel channel, String path) throws IOException {
    channel.write(
        ByteBuffer.wrap(
            ("GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    channel.socket().setSoTimeout(5000);
    try (var in = channel.socket().getInputStream()) {
      byte[] bytes = in.readNBytes(64);
      String text = new String(bytes, StandardCharsets.US_ASCII);
      return text.contains("\r\n") ? text.substring(0, text.indexOf("\r\n")) : text;
    } finally {
      buffer.clear();
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(10, TimeUnit.SECONDS);
    return out;
  }
}
