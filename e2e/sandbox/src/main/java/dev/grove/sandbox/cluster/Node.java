package dev.grove.sandbox.cluster;

import java.util.Map;

/** The sandbox's one node: its name, address and labels, and the Kubernetes version it runs. */
public final class Node {

  public static final String NAME = "grove-sandbox-node";
  public static final String IP = "10.0.0.2";
  public static final Map<String, String> LABELS =
      Map.of(
          "kubernetes.io/hostname", NAME,
          "kubernetes.io/os", "linux",
          "kubernetes.io/arch", "amd64");
  public static final String KUBERNETES_VERSION = "v1.32.0";

  private Node() {}

  /** The {@code n}th pod's address in the node's pod range. */
  public static String podIp(int n) {
    return "10.42.0." + (n % 250 + 2);
  }
}
