package dev.grove.sandbox.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerdNodeTest {

  /** A machine with what is listed, root or not, netns or not. */
  private record FakeHost(boolean root, Set<String> present, Optional<String> netnsProblem)
      implements NodeHost {

    @Override
    public Optional<Path> program(String name) {
      return present.contains(name) ? Optional.of(Path.of("/usr/bin", name)) : Optional.empty();
    }

    @Override
    public boolean executable(Path file) {
      return present.contains(file.toString());
    }

    @Override
    public boolean staticExecutable(Path file) {
      return present.contains("static " + file);
    }
  }

  private static final Set<String> EVERYTHING =
      Set.of(
          "containerd",
          "ctr",
          "runc",
          "ip",
          "nsenter",
          "/usr/lib/cni/bridge",
          "/usr/lib/cni/host-local",
          "/usr/lib/cni/loopback",
          "static /bin/busybox");

  @Test
  void a_root_machine_with_everything_runs_real_containers() {
    assertThat(ContainerdNode.unavailable(new FakeHost(true, EVERYTHING, Optional.empty())))
        .isEmpty();
  }

  @Test
  void not_root_says_so() {
    assertThat(ContainerdNode.unavailable(new FakeHost(false, EVERYTHING, Optional.empty())))
        .hasValueSatisfying(reason -> assertThat(reason).contains("not run as root"));
  }

  @Test
  void missing_programs_are_named_with_the_packages_that_bring_them() {
    Set<String> some = new java.util.HashSet<>(EVERYTHING);
    some.removeAll(
        Set.of("containerd", "ctr", "runc", "/usr/lib/cni/bridge", "static /bin/busybox"));
    assertThat(ContainerdNode.unavailable(new FakeHost(true, some, Optional.empty())))
        .hasValue(
            "containerd, ctr, runc, /usr/lib/cni/bridge, a static /bin/busybox missing"
                + " (apt-get install containerd runc containernetworking-plugins busybox-static)");
  }

  @Test
  void a_machine_without_network_namespaces_says_why() {
    assertThat(
            ContainerdNode.unavailable(
                new FakeHost(true, EVERYTHING, Optional.of("Operation not permitted"))))
        .hasValue("cannot create a network namespace: Operation not permitted");
  }

  @Test
  void the_socket_moves_to_run_when_the_folder_path_is_too_long_for_a_unix_socket() {
    ContainerdNode.Layout shortOne = ContainerdNode.Layout.of(Path.of("/tmp/g/sandbox/node"));
    assertThat(shortOne.socket()).isEqualTo(Path.of("/tmp/g/sandbox/node/containerd.sock"));
    Path deep = Path.of("/tmp", "x".repeat(90), "sandbox", "node");
    ContainerdNode.Layout longOne = ContainerdNode.Layout.of(deep);
    assertThat(longOne.socket().toString())
        .startsWith("/run/grove-" + longOne.id())
        .hasSizeLessThan(100);
    assertThat(longOne.netns()).isEqualTo("grove-" + longOne.id()).hasSize(16);
    assertThat(ContainerdNode.Layout.of(deep).id()).isEqualTo(longOne.id());
    assertThat(shortOne.id()).isNotEqualTo(longOne.id());
  }

  @Test
  void the_config_puts_everything_under_the_folder_and_the_registry_over_http() {
    ContainerdNode.Layout layout = ContainerdNode.Layout.of(Path.of("/tmp/g/sandbox/node"));
    String config =
        ContainerdNode.containerdConfig(layout, "127.0.0.1:5000", "127.0.0.1:5000/grove/pause:1");
    assertThat(config)
        .contains(
            "root = \"/tmp/g/sandbox/node/root\"",
            "state = \"/tmp/g/sandbox/node/state\"",
            "address = \"/tmp/g/sandbox/node/containerd.sock\"",
            "sandbox_image = \"127.0.0.1:5000/grove/pause:1\"",
            "bin_dir = \"/usr/lib/cni\"",
            "conf_dir = \"/tmp/g/sandbox/node/net.d\"",
            "SystemdCgroup = false",
            "[plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"127.0.0.1:5000\"]",
            "endpoint = [\"http://127.0.0.1:5000\"]");
    assertThat(ContainerdNode.cniConfig(layout))
        .contains(
            "\"bridge\": \"grove0\"",
            "\"isGateway\": true",
            "\"subnet\": \"10.42.0.0/24\", \"gateway\": \"10.42.0.1\"",
            "\"dataDir\": \"/tmp/g/sandbox/node/cni\"");
  }
}
