package dev.grove.sandbox.node;

import com.sun.jna.LastErrorException;
import dev.grove.api.process.CommandLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's node with real containers: containerd with its own root, state, socket and CNI
 * config under the node's folder, started inside the node's network namespace ({@link
 * NetnsNetwork}, named {@code grove-HASH} after the folder), where the CNI bridge plugin puts the
 * pods on {@value NodeNetwork#BRIDGE}. The sandbox registry ({@code 127.0.0.1:PORT} on the machine)
 * is relayed to the same address inside the namespace, so the images' names work in both.
 *
 * <p>The folder's layout: {@code config.toml}, {@code containerd.log}, {@code root/} and {@code
 * state/} (containerd's), {@code net.d/} (CNI config), {@code cni/} (host-local's address leases),
 * {@code pods/} (pods' CRI logs), {@code opt/}; the socket {@code containerd.sock} there, or in
 * {@code /run/grove-HASH/} when the folder's path is too long for a unix socket. Each start begins
 * afresh: what a previous run left (processes, mounts, namespace, images) is removed.
 */
public final class ContainerdNode implements LinuxNode {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerdNode.class);

  /** Where Debian's containernetworking-plugins puts the CNI plugins. */
  public static final Path CNI_BIN = Path.of("/usr/lib/cni");

  /** busybox-static's binary: what the sandbox's images are made of. */
  public static final Path BUSYBOX = Path.of("/bin/busybox");

  /** The containerd namespace CRI uses. */
  public static final String CRI_NAMESPACE = "k8s.io";

  /** The longest unix socket path (sun_path holds 108 bytes with the NUL). */
  private static final int SOCKET_PATH_MAX = 107;

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private final Layout layout;
  private final NetnsNetwork network;
  private final RegistryRelay relay;
  private final Process containerd;
  private final String pauseImage;
  private final String registryUser;
  private final String registryPassword;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ContainerdNode(
      Layout layout,
      NetnsNetwork network,
      RegistryRelay relay,
      Process containerd,
      String pauseImage,
      String registryUser,
      String registryPassword) {
    this.layout = layout;
    this.network = network;
    this.relay = relay;
    this.containerd = containerd;
    this.pauseImage = pauseImage;
    this.registryUser = registryUser;
    this.registryPassword = registryPassword;
  }

  /** Where a node's files, socket, namespace and cgroup are, all derived from its folder. */
  record Layout(Path dir, String id) {

    static Layout of(Path dir) {
      Path absolute = dir.toAbsolutePath().normalize();
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-256")
                .digest(absolute.toString().getBytes(StandardCharsets.UTF_8));
        return new Layout(absolute, HexFormat.of().formatHex(digest).substring(0, 10));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    String netns() {
      return "grove-" + id;
    }

    /** Short paths for what must be short (a unix socket when the folder's path is long). */
    Path runDir() {
      return Path.of("/run", "grove-" + id);
    }

    Path config() {
      return dir.resolve("config.toml");
    }

    Path log() {
      return dir.resolve("containerd.log");
    }

    Path root() {
      return dir.resolve("root");
    }

    Path state() {
      return dir.resolve("state");
    }

    Path runcRoot() {
      return state().resolve("runc");
    }

    Path netd() {
      return dir.resolve("net.d");
    }

    Path cniData() {
      return dir.resolve("cni");
    }

    Path podLogs() {
      return dir.resolve("pods");
    }

    Path opt() {
      return dir.resolve("opt");
    }

    Path socket() {
      Path inFolder = dir.resolve("containerd.sock");
      // containerd also listens on SOCKET.ttrpc
      return inFolder.toString().length() + ".ttrpc".length() <= SOCKET_PATH_MAX
          ? inFolder
          : runDir().resolve("containerd.sock");
    }

    String cgroupParent() {
      return "/grove-" + id;
    }
  }

  /** The name of the network namespace of the node in {@code dir} ({@code grove-HASH}). */
  public static String namespaceOf(Path dir) {
    return Layout.of(dir).netns();
  }

  /**
   * Why real containers cannot run here (empty when they can): not Linux, not root, a program or
   * CNI plugin missing (naming the package that brings it), no network namespaces.
   */
  public static Optional<String> unavailable() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return Optional.of(
          "real containers need Linux (containerd); this is " + System.getProperty("os.name"));
    }
    return unavailable(NodeHost.REAL);
  }

  /** {@link #unavailable()} on {@code host}: every reason, joined. */
  public static Optional<String> unavailable(NodeHost host) {
    List<String> reasons = new ArrayList<>();
    if (!host.root()) {
      reasons.add("the sandbox does not run as root (containerd and network namespaces need it)");
    }
    List<String> packages = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String[] program :
        List.of(
            new String[] {"containerd", "containerd"},
            new String[] {"ctr", "containerd"},
            new String[] {"runc", "runc"},
            new String[] {"ip", "iproute2"},
            new String[] {"nsenter", "util-linux"})) {
      if (host.program(program[0]).isEmpty()) {
        missing.add(program[0]);
        addOnce(packages, program[1]);
      }
    }
    for (String plugin : List.of("bridge", "host-local", "loopback")) {
      if (!host.executable(CNI_BIN.resolve(plugin))) {
        missing.add(CNI_BIN.resolve(plugin).toString());
        addOnce(packages, "containernetworking-plugins");
      }
    }
    if (!host.staticExecutable(BUSYBOX)) {
      missing.add("a static " + BUSYBOX);
      addOnce(packages, "busybox-static");
    }
    if (!missing.isEmpty()) {
      reasons.add(
          String.join(", ", missing)
              + " missing (apt-get install "
              + String.join(" ", packages)
              + ")");
    }
    if (reasons.isEmpty()) {
      host.netnsProblem()
          .ifPresent(problem -> reasons.add("cannot create a network namespace: " + problem));
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
  }

  private static void addOnce(List<String> list, String value) {
    if (!list.contains(value)) {
      list.add(value);
    }
  }

  /**
   * Starts a node in {@code dir}: cleans up what a previous node there left, writes containerd's
   * and CNI's config, creates the namespace, relays the registry into it and starts containerd
   * there, returning once containerd answers on its socket.
   *
   * @param registryHost the sandbox registry's host on the machine ({@code 127.0.0.1}): relayed
   *     into the node when it is the loopback
   * @param timeout how long containerd may take to answer
   * @throws IOException when something does not start (the message names its log), after undoing
   *     what did
   */
  public static ContainerdNode start(
      Path dir,
      String registryHost,
      int registryPort,
      String registryUser,
      String registryPassword,
      Duration timeout)
      throws IOException {
    Layout layout = Layout.of(dir);
    cleanUp(layout.dir());
    for (Path stale :
        List.of(layout.root(), layout.state(), layout.cniData(), layout.netd(), layout.podLogs())) {
      deleteTree(stale);
    }
    Files.createDirectories(layout.dir());
    for (Path folder :
        List.of(
            layout.root(),
            layout.state(),
            layout.cniData(),
            layout.netd(),
            layout.podLogs(),
            layout.opt(),
            layout.socket().getParent())) {
      Files.createDirectories(folder);
    }
    String registry = registryHost + ":" + registryPort;
    String pauseImage = registry + "/" + SandboxImages.PAUSE;
    Files.writeString(layout.netd().resolve("10-grove.conflist"), cniConfig(layout));
    Files.writeString(layout.config(), containerdConfig(layout, registry, pauseImage));
    NetnsNetwork network = NetnsNetwork.create(layout.netns());
    RegistryRelay relay = null;
    Process containerd = null;
    try {
      createBridge(network);
      if (registryHost.equals("127.0.0.1") || registryHost.equals("localhost")) {
        relay = RegistryRelay.start(network, registryPort);
      }
      containerd =
          new ProcessBuilder(
                  "nsenter",
                  "--net=" + network.file(),
                  "containerd",
                  "--config",
                  layout.config().toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log().toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      awaitAnswer(layout, containerd, timeout);
      LOG.info(
          "containerd serves on {} in network namespace {} (log {})",
          layout.socket(),
          layout.netns(),
          layout.log());
      return new ContainerdNode(
          layout, network, relay, containerd, pauseImage, registryUser, registryPassword);
    } catch (IOException | RuntimeException e) {
      if (relay != null) {
        relay.close();
      }
      if (containerd != null) {
        containerd.destroyForcibly();
      }
      network.close();
      cleanUp(layout.dir());
      throw e;
    }
  }

  /**
   * The pods' bridge with the gateway's address, before any pod: so that the sandbox can listen on
   * {@value NodeNetwork#GATEWAY} (the pods' DNS server, say) from the start. The CNI bridge plugin
   * takes the bridge as it finds it.
   */
  private static void createBridge(NetnsNetwork network) throws IOException {
    for (List<String> command :
        List.of(
            List.of("ip", "link", "add", NodeNetwork.BRIDGE, "type", "bridge"),
            List.of("ip", "addr", "add", NodeNetwork.GATEWAY + "/24", "dev", NodeNetwork.BRIDGE),
            List.of("ip", "link", "set", NodeNetwork.BRIDGE, "up"))) {
      NetnsNetwork.Result result = network.exec(command, COMMAND_TIMEOUT);
      if (result.exitCode() != 0) {
        throw new IOException(
            "`" + String.join(" ", command) + "` in the node failed: " + result.output().strip());
      }
    }
  }

  private static void awaitAnswer(Layout layout, Process containerd, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!containerd.isAlive()) {
        throw new IOException(
            "containerd exited at start (code "
                + containerd.exitValue()
                + "); see "
                + layout.log()
                + ": "
                + tail(layout.log()));
      }
      if (Files.exists(layout.socket())
          && NetnsNetwork.Commands.run(
                      List.of("ctr", "--address", layout.socket().toString(), "version"),
                      COMMAND_TIMEOUT)
                  .exitCode()
              == 0) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("Interrupted waiting for containerd");
      }
    }
    throw new IOException(
        "containerd did not answer on "
            + layout.socket()
            + " within "
            + timeout.toSeconds()
            + " s; see "
            + layout.log());
  }

  /** The pods' network: a bridge with the gateway's address, host-local leases in the folder. */
  static String cniConfig(Layout layout) {
    return """
        {
          "cniVersion": "0.4.0",
          "name": "grove",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "%s",
              "isGateway": true,
              "ipMasq": false,
              "hairpinMode": true,
              "ipam": {
                "type": "host-local",
                "ranges": [[{"subnet": "%s", "gateway": "%s"}]],
                "routes": [{"dst": "0.0.0.0/0"}],
                "dataDir": "%s"
              }
            }
          ]
        }
        """
        .formatted(NodeNetwork.BRIDGE, NodeNetwork.POD_CIDR, NodeNetwork.GATEWAY, layout.cniData());
  }

  /**
   * containerd's config: everything under the folder; CRI with the pause image, the CNI config
   * above (CRI adds the loopback itself), the sandbox registry over plain HTTP, cgroupfs, and
   * overlayfs where the kernel has it.
   */
  static String containerdConfig(Layout layout, String registry, String pauseImage) {
    String snapshotter = overlayAvailable() ? "overlayfs" : "native";
    return """
        version = 2
        root = "%s"
        state = "%s"
        disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", \
        "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", \
        "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

        [grpc]
          address = "%s"

        [debug]
          address = ""

        [metrics]
          address = ""

        [plugins]
          [plugins."io.containerd.internal.v1.opt"]
            path = "%s"
          [plugins."io.containerd.grpc.v1.cri"]
            sandbox_image = "%s"
            stream_server_address = "127.0.0.1"
            stream_server_port = "0"
            netns_mounts_under_state_dir = true
            enable_selinux = false
            disable_apparmor = true
            # Without CAP_SYS_RESOURCE (as on these VMs) runc cannot set the pause container's
            # oom_score_adj of -998: clamp every container's to containerd's own instead.
            restrict_oom_score_adj = true
            [plugins."io.containerd.grpc.v1.cri".cni]
              bin_dir = "%s"
              conf_dir = "%s"
            [plugins."io.containerd.grpc.v1.cri".containerd]
              snapshotter = "%s"
              default_runtime_name = "runc"
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                runtime_type = "io.containerd.runc.v2"
                [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                  SystemdCgroup = false
                  Root = "%s"
            [plugins."io.containerd.grpc.v1.cri".registry.mirrors."%s"]
              endpoint = ["http://%s"]
        """
        .formatted(
            layout.root(),
            layout.state(),
            layout.socket(),
            layout.opt(),
            pauseImage,
            CNI_BIN,
            layout.netd(),
            snapshotter,
            layout.runcRoot(),
            registry,
            registry);
  }

  private static boolean overlayAvailable() {
    try {
      return Files.readAllLines(Path.of("/proc/filesystems")).stream()
          .anyMatch(line -> line.strip().endsWith("overlay"));
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public Path criSocket() {
    return layout.socket();
  }

  @Override
  public NetnsNetwork network() {
    return network;
  }

  @Override
  public String pauseImage() {
    return pauseImage;
  }

  @Override
  public String registryUser() {
    return registryUser;
  }

  @Override
  public String registryPassword() {
    return registryPassword;
  }

  @Override
  public String cgroupParent() {
    return layout.cgroupParent();
  }

  @Override
  public Path podLogs() {
    return layout.podLogs();
  }

  /** The node's folder. */
  public Path dir() {
    return layout.dir();
  }

  /** containerd's log file. */
  public Path log() {
    return layout.log();
  }

  /**
   * runc's root for this node's containers (CRI's are under {@code k8s.io/}): what a container
   * started with {@code ctr run --runc-root} should name, so that cleaning up finds it.
   */
  public Path runcRoot() {
    return layout.runcRoot();
  }

  /** containerd's process id. */
  public long pid() {
    return containerd.pid();
  }

  /**
   * {@code ctr --address SOCKET -n k8s.io ARGS...} (containerd's own client, in the node's
   * namespace): what it printed and its exit code.
   */
  public NetnsNetwork.Result ctr(List<String> args, Duration timeout) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of("ctr", "--address", layout.socket().toString(), "--namespace", CRI_NAMESPACE));
    command.addAll(args);
    return network.exec(command, timeout);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("Stopping the node (containerd pid {})", containerd.pid());
    if (relay != null) {
      relay.close();
    }
    deleteTasks(layout);
    stopContainerd(layout, Optional.of(containerd.toHandle()));
    network.close();
    try {
      cleanUp(layout.dir());
    } catch (IOException e) {
      LOG.warn("The node did not clean up fully: {}", e.getMessage());
    }
    LOG.info("Stopped the node");
  }

  /**
   * Stops and removes what a node in {@code dir} left, whether its JVM stopped it or died: its
   * containers ({@code runc delete --force}), containerd, the shims that name its socket, the
   * processes in its cgroup, the mounts under its folders, its network namespace (and with it the
   * bridge and the pods' veths), its cgroups and {@code /run/grove-HASH}. Keeps the folder's files.
   * Safe when nothing is there.
   *
   * @throws IOException when a mount or the namespace cannot be removed
   */
  public static void cleanUp(Path dir) throws IOException {
    Layout layout = Layout.of(dir);
    deleteTasks(layout);
    stopContainerd(layout, Optional.empty());
    deleteContainers(layout);
    killShims(layout);
    List<Path> cgroups = cgroups(layout);
    killCgroupProcesses(cgroups);
    unmountUnder(List.of(layout.dir(), layout.runDir()));
    NetnsNetwork.delete(layout.netns());
    for (Path cgroup : cgroups) {
      removeCgroup(cgroup);
    }
    deleteTree(layout.runDir());
  }

  /**
   * While containerd answers: every task in every containerd namespace, killed and deleted ({@code
   * ctr tasks delete --force}), whichever runc root and cgroup it was started with.
   */
  private static void deleteTasks(Layout layout) {
    if (!Files.exists(layout.socket())) {
      return;
    }
    try {
      NetnsNetwork.Result namespaces = ctr(layout, List.of("namespaces", "ls", "-q"));
      if (namespaces.exitCode() != 0) {
        return; // not answering: runc and the cgroups get the containers
      }
      for (String namespace : words(namespaces.output())) {
        NetnsNetwork.Result tasks =
            ctr(layout, List.of("--namespace", namespace, "tasks", "ls", "-q"));
        for (String task : tasks.exitCode() == 0 ? words(tasks.output()) : List.<String>of()) {
          NetnsNetwork.Result deleted =
              ctr(layout, List.of("--namespace", namespace, "tasks", "delete", "--force", task));
          if (deleted.exitCode() != 0) {
            LOG.warn("Cannot delete task {}: {}", task, deleted.output().strip());
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot list the node's tasks: {}", e.getMessage());
    }
  }

  private static NetnsNetwork.Result ctr(Layout layout, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ctr", "--address", layout.socket().toString()));
    command.addAll(args);
    return NetnsNetwork.Commands.run(command, COMMAND_TIMEOUT);
  }

  private static List<String> words(String text) {
    return java.util.Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  /** containerd of this node: TERM, then KILL after {@link #STOP_TIMEOUT}. */
  private static void stopContainerd(Layout layout, Optional<ProcessHandle> known) {
    List<ProcessHandle> processes = new ArrayList<>();
    known.filter(ProcessHandle::isAlive).ifPresent(processes::add);
    String config = layout.config().toString();
    ProcessHandle.allProcesses()
        .filter(p -> known.map(k -> k.pid() != p.pid()).orElse(true))
        .filter(
            p -> {
              List<String> args = CommandLines.of(p.pid());
              int at = args.indexOf("--config");
              return !args.isEmpty()
                  && args.get(0).endsWith("containerd")
                  && at >= 0
                  && at + 1 < args.size()
                  && args.get(at + 1).equals(config);
            })
        .forEach(processes::add);
    for (ProcessHandle process : processes) {
      process.destroy();
    }
    for (ProcessHandle process : processes) {
      try {
        process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        LOG.warn("containerd (pid {}) did not stop in {}: killing it", process.pid(), STOP_TIMEOUT);
        process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /** Every container runc knows under this node's runc root, in every containerd namespace. */
  private static void deleteContainers(Layout layout) throws IOException {
    if (!Files.isDirectory(layout.runcRoot())) {
      return;
    }
    List<Path> namespaces;
    try (Stream<Path> list = Files.list(layout.runcRoot())) {
      namespaces = list.filter(Files::isDirectory).toList();
    }
    for (Path namespace : namespaces) {
      NetnsNetwork.Result listed =
          NetnsNetwork.Commands.run(
              List.of("runc", "--root", namespace.toString(), "list", "-q"), COMMAND_TIMEOUT);
      if (listed.exitCode() != 0) {
        LOG.warn("runc list in {} failed: {}", namespace, listed.output().strip());
        continue;
      }
      for (String id : listed.output().strip().split("\\s+")) {
        if (!id.isEmpty()) {
          NetnsNetwork.Result deleted =
              NetnsNetwork.Commands.run(
                  List.of("runc", "--root", namespace.toString(), "delete", "--force", id),
                  COMMAND_TIMEOUT);
          if (deleted.exitCode() != 0) {
            LOG.warn("runc delete --force {} failed: {}", id, deleted.output().strip());
          }
        }
      }
    }
  }

  /** The shims ({@code containerd-shim-runc-v2 ... -address SOCKET}) of this node's containerd. */
  private static void killShims(Layout layout) {
    String socket = layout.socket().toString();
    List<ProcessHandle> shims =
        ProcessHandle.allProcesses()
            .filter(
                p -> {
                  List<String> args = CommandLines.of(p.pid());
                  int at = args.indexOf("-address");
                  return !args.isEmpty()
                      && args.get(0).contains("containerd-shim")
                      && at >= 0
                      && at + 1 < args.size()
                      && args.get(at + 1).equals(socket);
                })
            .toList();
    for (ProcessHandle shim : shims) {
      shim.destroyForcibly();
    }
    awaitExit(shims);
  }

  private static void awaitExit(List<ProcessHandle> processes) {
    for (ProcessHandle process : processes) {
      try {
        process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        LOG.warn("pid {} did not exit after SIGKILL", process.pid());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** This node's cgroup in each hierarchy ({@code /sys/fs/cgroup[/CONTROLLER]/grove-HASH}). */
  private static List<Path> cgroups(Layout layout) throws IOException {
    Path base = Path.of("/sys/fs/cgroup");
    String name = layout.cgroupParent().substring(1);
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(base.resolve(name))) {
      found.add(base.resolve(name));
    }
    if (Files.isDirectory(base)) {
      try (Stream<Path> controllers = Files.list(base)) {
        controllers
            .map(controller -> controller.resolve(name))
            .filter(Files::isDirectory)
            .forEach(found::add);
      }
    }
    return found;
  }

  private static void killCgroupProcesses(List<Path> cgroups) throws IOException {
    List<ProcessHandle> killed = new ArrayList<>();
    for (Path cgroup : cgroups) {
      try (Stream<Path> files = Files.walk(cgroup)) {
        for (Path procs : files.filter(f -> f.endsWith("cgroup.procs")).toList()) {
          for (String line : readLines(procs)) {
            try {
              ProcessHandle.of(Long.parseLong(line.strip()))
                  .ifPresent(
                      process -> {
                        process.destroyForcibly();
                        killed.add(process);
                      });
            } catch (NumberFormatException e) {
              // an empty line
            }
          }
        }
      }
    }
    awaitExit(killed);
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Removes a cgroup and its children, deepest first (a cgroup is removed with rmdir). */
  private static void removeCgroup(Path cgroup) {
    try (Stream<Path> files = Files.walk(cgroup)) {
      for (Path folder :
          files.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(folder);
        } catch (IOException e) {
          LOG.warn("Cannot remove cgroup {}: {}", folder, e.getMessage());
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      LOG.warn("Cannot remove cgroup {}: {}", cgroup, e.getMessage());
    }
  }

  /**
   * Unmounts (lazily) every mount point under {@code folders}, deepest first, as {@code
   * /proc/self/mountinfo} lists them.
   */
  static void unmountUnder(List<Path> folders) throws IOException {
    List<String> failed = new ArrayList<>();
    for (String point : mountPointsUnder(folders)) {
      try {
        Libc.get().umount2(point, Libc.MNT_DETACH);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != 22 && e.getErrorCode() != 2) { // EINVAL, ENOENT: already gone
          failed.add(point + " (errno " + e.getErrorCode() + ")");
        }
      }
    }
    if (!failed.isEmpty()) {
      throw new IOException("Cannot unmount " + String.join(", ", failed));
    }
  }

  /** The mount points under {@code folders}, deepest first. */
  public static List<String> mountPointsUnder(List<Path> folders) throws IOException {
    List<String> points = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] fields = line.split(" ");
      if (fields.length < 5) {
        continue;
      }
      String point = unescape(fields[4]);
      for (Path folder : folders) {
        String prefix = folder.toString();
        if (point.equals(prefix) || point.startsWith(prefix + "/")) {
          points.add(point);
          break;
        }
      }
    }
    points.sort(Comparator.comparingInt(String::length).reversed());
    return points;
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes ({@code \040}). */
  private static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()) {
        try {
          out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
          i += 3;
          continue;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
          // not an escape
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  /** Deletes a folder and what it holds, never following symbolic links. */
  static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
