package dev.grove.sandbox.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which runtime the sandbox process picks, and the reason it gives when it simulates. */
class SandboxMainTest {

  private static final Path NODE = Path.of("/nonexistent/sandbox/node");

  @Test
  void simulated_when_asked_on_the_command_line() {
    SandboxMain.PodRuntime runtime =
        SandboxMain.PodRuntime.choose(
            SandboxMain.Arguments.parse(
                new String[] {"--data", "/x", "--registry-port", "5000", "--simulated"}),
            NODE,
            Map.of());
    assertThat(runtime.node()).isEmpty();
    assertThat(runtime.name()).isEqualTo("simulated");
    assertThat(runtime.reason()).contains("grove sandbox up --simulated");
  }

  @Test
  void simulated_when_the_environment_asks() {
    SandboxMain.PodRuntime runtime =
        SandboxMain.PodRuntime.choose(
            SandboxMain.Arguments.parse(new String[] {"--data", "/x", "--registry-port", "5000"}),
            NODE,
            Map.of(SandboxMain.RUNTIME_ENV, "simulated"));
    assertThat(runtime.name()).isEqualTo("simulated");
    assertThat(runtime.reason()).contains("GROVE_SANDBOX_RUNTIME=simulated");
  }

  @Test
  void simulated_without_a_registry_to_pull_from() {
    SandboxMain.PodRuntime runtime =
        SandboxMain.PodRuntime.choose(
            SandboxMain.Arguments.parse(new String[] {"--data", "/x"}), NODE, Map.of());
    assertThat(runtime.name()).isEqualTo("simulated");
    assertThat(runtime.reason()).contains("--registry-port");
  }

  @Test
  void the_registry_port_is_checked_like_the_api_port() {
    assertThat(
            SandboxMain.Arguments.parse(new String[] {"--data", "/x", "--registry-port", "5001"})
                .registryPort())
        .isEqualTo(5001);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                SandboxMain.Arguments.parse(
                    new String[] {"--data", "/x", "--registry-port", "70000"}))
        .hasMessage("--registry-port 70000 is not a port (0-65535)");
  }
}
