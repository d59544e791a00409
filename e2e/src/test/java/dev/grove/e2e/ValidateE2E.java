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

  /**
   * Issue 12.3/12.4 through the real CLI and daemon: a config link to a FIFO or to /dev/zero, a
   * template bomb and a bad --var each exit 2 with the reason, a NUL byte in a root is a 400, and
   * the same daemon answers health afterwards.
   */
  @Test
  @Order(5)
  void unsafeFilesAndTemplateBombsExitTwoAndTheDaemonStaysUp() throws Exception {
    long pid = grove.daemonPid();
    Path project =
        GroveProcess.copyTree(ENGINE_FIXTURES.resolve("unsafe-files"), dir.resolve("unsafe"));
    String root = project.toString();

    Path fifo = dir.resolve("fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    Path link = project.resolve("api/extra.garden.yml");
    Files.createSymbolicLink(link, fifo);
    GroveProcess.Result pipe = grove.run("validate", "--root", root);
    assertThat(pipe.exitCode()).as(pipe.err()).isEqualTo(2);
    assertThat(pipe.err())
        .contains("api/extra.garden.yml")
        .contains("it is a FIFO (named pipe), not a regular file");

    Files.delete(link);
    Files.createSymbolicLink(link, Path.of("/dev/zero"));
    GroveProcess.Result zero = grove.run("validate", "--root", root);
    assertThat(zero.exitCode()).as(zero.err()).isEqualTo(2);
    assertThat(zero.err()).contains("api/extra.garden.yml").contains("character device");

    Files.delete(link);
    Files.writeString(
        link,
        "kind: Build\ntype: exec\nname: bomb\nspec:\n  command:\n    - ${replace(replace(replace("
            + "\"aaaaaaaaaa\",\"a\",\""
            + "a".repeat(1000)
            + "\"),\"a\",\""
            + "a".repeat(1000)
            + "\"),\"a\",\""
            + "a".repeat(1000)
            + "\")}\n");
    GroveProcess.Result bomb = grove.run("validate", "--root", root);
    assertThat(bomb.exitCode()).as(bomb.err()).isEqualTo(2);
    assertThat(bomb.err()).contains("api/extra.garden.yml:6:").contains("1 MiB");
    Files.delete(link);

    for (String var : List.of(".=y", "....=c", "a..b=c")) {
      GroveProcess.Result bad = grove.run("validate", "--root", root, "--var", var);
      assertThat(bad.exitCode()).as(var + ": " + bad.err()).isEqualTo(2);
      assertThat(bad.err()).contains("--var").doesNotContain("bug in Grove");
    }

    JsonNode info = JSON.readTree(dir.resolve("grove-home/daemon.json").toFile());
    java.net.http.HttpResponse<String> nul =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + info.get("port").asInt() + "/api/v1/validate"))
                    .timeout(java.time.Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + info.get("token").asText())
                    .header("Content-Type", "application/json")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"root\":\"" + root + "\\u0000x\",\"cwd\":\"" + root + "\"}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(nul.statusCode()).as(nul.body()).isEqualTo(400);
    assertThat(nul.body()).contains("NUL");

    GroveProcess.Result fine = grove.run("validate", "--root", root);
    assertThat(fine.exitCode()).as(fine.err()).isZero();
    GroveProcess.Result status = grove.run("daemon", "status");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(grove.daemonPid()).isEqualTo(pid);
  }

  @Test
  @Order(6)
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
