package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The real CLI and the real daemon, as separate processes, on the example and fixtures. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ValidateE2E {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SHOP = Path.of("../examples/shop").toAbsolutePath().normalize();
  private static final Path FIXTURES = Path.of("src/test/resources/projects").toAbsolutePath();
  private static final Path ENGINE_FIXTURES =
      Path.of("../orchestrator/src/test/resources/projects").toAbsolutePath().normalize();

  @TempDir static Path dir;
  private static GroveProcess grove;

  @BeforeAll
  static void setUp() throws Exception {
    grove = new GroveProcess(Files.createDirectories(dir.resolve("grove-home")), SHOP);
  }

  @AfterAll
  static void tearDown() throws Exception {
    grove.stopDaemon();
  }

  @Test
  @Order(1)
  void firstValidateStartsTheDaemonAndPrintsTheJsonContract() throws Exception {
    GroveProcess.Result result = grove.run("validate", "--output", "json");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).contains("starting the daemon");
    JsonNode json = JSON.readTree(result.out());
    assertThat(fieldNames(json)).containsExactly("project", "environment", "actions");
    assertThat(json.get("project").asText()).isEqualTo("shop");
    assertThat(json.get("environment").asText()).isEqualTo("dev");
    JsonNode web = json.get("actions").get(3);
    assertThat(fieldNames(web))
        .containsExactly("ref", "kind", "type", "name", "version", "dependencies", "disabled");
    assertThat(web.get("ref").asText()).isEqualTo("deploy.web");
    assertThat(web.get("version").asText()).matches("v-[0-9a-f]{10}");
    assertThat(web.get("dependencies").toString()).isEqualTo("[\"build.web\",\"deploy.backend\"]");

    Path info = dir.resolve("grove-home/daemon.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(info)))
        .isEqualTo("rw-------");
  }

  @Test
  @Order(2)
  void laterCommandsReuseTheWarmDaemon() throws Exception {
    long pid = grove.daemonPid();
    GroveProcess.Result result = grove.run("graph", "--format", "dot");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).doesNotContain("starting the daemon");
    assertThat(result.out()).contains("\"deploy.web\" -> \"deploy.backend\";");
    assertThat(grove.daemonPid()).isEqualTo(pid);
  }

  @Test
  @Order(3)
  void configErrorsExitTwoNamingFileLineAndFix() throws Exception {
    GroveProcess.Result result =
        grove.run("validate", "--root", ENGINE_FIXTURES.resolve("broken-yaml").toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("api/garden.yml:6:").contains("→");
    assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  @Order(4)
  void localEnvIsTheInvokingShellsNotTheDaemons() throws Exception {
    Path project = FIXTURES.resolve("env-echo");
    String first =
        version(
            grove.run(
                Map.of("GROVE_E2E_VALUE", "one"),
                "graph",
                "--output",
                "json",
                "--root",
                project.toString()));
    String second =
        version(
            grove.run(
                Map.of("GROVE_E2E_VALUE", "two"),
                "graph",
                "--output",
                "json",
                "--root",
                project.toString()));
    String again =
        version(
            grove.run(
                Map.of("GROVE_E2E_VALUE", "one"),
                "graph",
                "--output",
                "json",
                "--root",
                project.toString()));
    assertThat(second).isNotEqualTo(first);
    assertThat(again).isEqualTo(first);
  }

  @Test
  @Order(5)
  void daemonStopEndsTheProcessAndStatusThenSaysNotRunning() throws Exception {
    long pid = grove.daemonPid();
    GroveProcess.Result stop = grove.run("daemon", "stop");
    assertThat(stop.exitCode()).as(stop.err()).isZero();
    assertThat(dir.resolve("grove-home/daemon.json")).doesNotExist();
    assertThat(
            ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && !Files.readString(Path.of("/proc", Long.toString(pid), "stat")).contains(") Z"))
        .isFalse();
    GroveProcess.Result status = grove.run("daemon", "status");
    assertThat(status.exitCode()).isEqualTo(3);
  }

  private static String version(GroveProcess.Result result) throws Exception {
    assertThat(result.exitCode()).as(result.err()).isZero();
    return JSON.readTree(result.out()).get("actions").get(0).get("version").asText();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
