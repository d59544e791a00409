package dev.grove.sandbox.tool;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.grove.actions.registry.LocalRegistry;
import dev.grove.sandbox.node.ContainerdNode;
import dev.grove.sandbox.node.SandboxImages;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real node for tests: a registry with Basic auth ({@link #USER}/{@link #PASSWORD}) holding the
 * sandbox's images, and {@link ContainerdNode} started on it, in {@code dir}. Tests call {@link
 * #assumeAvailable()} first: it skips them, naming what is missing, where real containers cannot
 * run.
 *
 * <pre>{@code
 * @BeforeAll static void start(@TempDir Path dir) throws Exception {
 *   NodeFixture.assumeAvailable();
 *   fixture = NodeFixture.start(dir);
 * }
 * @AfterAll static void stop() { if (fixture != null) fixture.close(); }
 * }</pre>
 */
public final class NodeFixture implements AutoCloseable {

  public static final String USER = "grove";
  public static final String PASSWORD = "node-fixture-pw";

  private final LocalRegistry registry;
  private final List<SandboxImages.Pushed> images;
  private final ContainerdNode node;

  private NodeFixture(
      LocalRegistry registry, List<SandboxImages.Pushed> images, ContainerdNode node) {
    this.registry = registry;
    this.images = images;
    this.node = node;
  }

  /** Skips the calling test, saying why, where {@link ContainerdNode} cannot run. */
  public static void assumeAvailable() {
    Optional<String> unavailable = ContainerdNode.unavailable();
    assumeTrue(
        unavailable.isEmpty(),
        () ->
            "No real containers here: " + unavailable.orElse("") + " (the sandbox runs simulated)");
  }

  /** Skips the calling test where {@link ContainerdNode} can run (it checks the fallback). */
  public static void assumeNotAvailable() {
    assumeTrue(
        ContainerdNode.unavailable().isPresent(),
        "Real containers can run here: the fallback to the simulation is not exercised");
  }

  /** Starts the registry (under {@code dir/registry}), pushes the images, starts the node. */
  public static NodeFixture start(Path dir) throws IOException, InterruptedException {
    LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"), USER, PASSWORD);
    try {
      List<SandboxImages.Pushed> images =
          SandboxImages.push(
              ContainerdNode.BUSYBOX, registry.host(), USER, PASSWORD, Duration.ofSeconds(30));
      ContainerdNode node =
          ContainerdNode.start(
              dir.resolve("node"),
              "127.0.0.1",
              port(registry),
              USER,
              PASSWORD,
              Duration.ofSeconds(30));
      return new NodeFixture(registry, images, node);
    } catch (IOException | RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  private static int port(LocalRegistry registry) {
    String host = registry.host();
    return Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
  }

  public ContainerdNode node() {
    return node;
  }

  public LocalRegistry registry() {
    return registry;
  }

  public int registryPort() {
    return port(registry);
  }

  /** {@code 127.0.0.1:PORT/grove/pause:1} */
  public String pauseImage() {
    return node.pauseImage();
  }

  /** {@code 127.0.0.1:PORT/grove/busybox:1.35} */
  public String busyboxImage() {
    return registry.host() + "/" + SandboxImages.BUSYBOX_IMAGE;
  }

  public List<SandboxImages.Pushed> images() {
    return images;
  }

  /**
   * A sandbox (API and kubelet) in this process whose kubelet runs its pods on this node. Closing
   * it closes the node too; {@link #close()} still stops the registry (and is safe after it).
   */
  public Sandbox startSandbox() {
    return Sandbox.start(
        0, dev.grove.sandbox.apiserver.SandboxApi.newToken(), java.util.Optional.of(node));
  }

  /** Stops the node (leaving nothing running or mounted), then the registry. */
  @Override
  public void close() {
    try {
      node.close();
    } finally {
      registry.close();
    }
  }
}
