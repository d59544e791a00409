package dev.grove.sandbox.node;

import java.nio.file.Path;

/**
 * The sandbox's node when it runs real containers: containerd (its own root, state and socket under
 * the sandbox folder) started inside the node's network namespace ({@link NodeNetwork}), with a CNI
 * bridge config for the pods and the sandbox registry reachable from inside the namespace at the
 * address it has on the machine ({@code 127.0.0.1:PORT}, relayed). The kubelet drives it through
 * CRI on {@link #criSocket()}.
 */
public interface LinuxNode extends AutoCloseable {

  /** containerd's CRI socket (a file: reachable from any namespace). */
  Path criSocket();

  NodeNetwork network();

  /**
   * The pod sandbox ("pause") image, in the sandbox registry, that containerd is configured with.
   */
  String pauseImage();

  /** User and password of the sandbox registry: what pulls {@link #pauseImage()}. */
  String registryUser();

  String registryPassword();

  /**
   * The cgroup parent under which pods' cgroups go (cgroupfs driver), e.g. {@code /grove-sandbox}.
   */
  String cgroupParent();

  /** Folder for the pods' CRI log files ({@code PodSandboxConfig.log_directory} goes under it). */
  Path podLogs();

  /**
   * Stops every pod sandbox and container, containerd and its shims, unmounts what it mounted,
   * removes the node namespace (and with it the bridge). Leaves nothing running.
   */
  @Override
  void close();
}
