package dev.grove.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxCommandTest {

  @Test
  void downSaysItStoppedTheSandboxWhenOneWasRunning() {
    assertThat(
            SandboxCommand.downText(Map.of("running", false, "stopped", true, "removedData", true)))
        .isEqualTo("sandbox: stopped the sandbox and removed its data");
    // its folder was removed under it (rm -rf $GROVE_HOME): the processes were found and stopped
    assertThat(
            SandboxCommand.downText(
                Map.of("running", false, "stopped", true, "removedData", false)))
        .isEqualTo("sandbox: stopped the sandbox (its data was already gone)");
  }

  @Test
  void downSaysTheSandboxWasNotRunningWhenNothingWas() {
    assertThat(
            SandboxCommand.downText(
                Map.of("running", false, "stopped", false, "removedData", false)))
        .isEqualTo("sandbox: was not running");
    assertThat(
            SandboxCommand.downText(
                Map.of("running", false, "stopped", false, "removedData", true)))
        .isEqualTo("sandbox: was not running; removed its data");
  }
}
