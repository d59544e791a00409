package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grove test} and {@code grove run} through the real CLI and daemon on exec actions: a
 * failing Test exits 1 with its output, a Test whose version passed is not run again until {@code
 * --force}, a Test's Run dependency runs first.
 */
class GroveTestAndRunE2E {
  private static final Path FIXTURE = Path.of("src/test/resources/projects/tests").toAbsolutePath();

  @TempDir static Path dir;
  private static GroveProcess grove;
  private static Path project;

  @BeforeAll
  static void setUp() throws Exception {
    grove = new GroveProcess(Files.createDirectories(dir.resolve("grove-home")), dir);
    project = GroveProcess.copyTree(FIXTURE, dir.resolve("project"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    grove.stopDaemon();
  }

  private static List<String> ran() throws Exception {
    Path log = dir.resolve("runs.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  @Test
  void testsRunOncePerVersionFailuresExitOneAndRunsRunOnRequest() throws Exception {
    GroveProcess.Result all = grove.run("test", "--root", project.toString());
    String output = all.out() + all.err();
    assertThat(all.exitCode()).as(output).isEqualTo(1);
    assertThat(output)
        .contains("test.flaky failed")
        .contains("FAIL: expected 2, got 3")
        .contains("test.unit succeeded")
        .contains("run.seed succeeded");
    assertThat(ran()).containsExactly("seed", "unit");
    assertThat(project.resolve(".grove/artifacts/unit/reports/unit.txt")).hasContent("3 passed");

    // the same version passed: ready, not run (its Run dependency, an exec Run, runs again)
    GroveProcess.Result again = grove.run("test", "unit", "--root", project.toString());
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("1 ready");
    assertThat(ran()).containsExactly("seed", "unit", "seed");

    GroveProcess.Result forced =
        grove.run("test", "unit", "--force", "--skip-dependencies", "--root", project.toString());
    assertThat(forced.exitCode()).as(forced.out() + forced.err()).isZero();
    assertThat(forced.out()).contains("test.unit succeeded");
    assertThat(ran()).containsExactly("seed", "unit", "seed", "unit");

    GroveProcess.Result run = grove.run("run", "seed", "--root", project.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("seeding the database");
    assertThat(ran()).containsExactly("seed", "unit", "seed", "unit", "seed");

    // the kept results: Garden's `garden get test-result`
    GroveProcess.Result flaky =
        grove.run("get", "test-result", "flaky", "--root", project.toString());
    assertThat(flaky.exitCode()).as(flaky.out() + flaky.err()).isZero();
    assertThat(flaky.out())
        .contains("test.flaky: failed (exit code 1)")
        .contains("(the current one)")
        .contains("FAIL: expected 2, got 3");
    GroveProcess.Result unit =
        grove.run("get", "test-result", "unit", "--root", project.toString(), "--output", "json");
    assertThat(unit.exitCode()).as(unit.out() + unit.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode doc =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(unit.out());
    assertThat(doc.path("action").asText()).isEqualTo("test.unit");
    assertThat(doc.path("exitCode").asInt()).isZero();
    assertThat(doc.path("version").asText()).isEqualTo(doc.path("currentVersion").asText());
    assertThat(doc.path("log").asText()).contains("3 passed");
    GroveProcess.Result seed = grove.run("get", "run-result", "seed", "--root", project.toString());
    assertThat(seed.out()).as(seed.out() + seed.err()).contains("run.seed: passed");

    GroveProcess.Result unknown = grove.run("test", "nope", "--root", project.toString());
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.out() + unknown.err()).contains("nope").contains("unit");
    GroveProcess.Result none =
        grove.run("get", "test-result", "nope", "--root", project.toString());
    assertThat(none.exitCode()).isNotZero();
    assertThat(none.out() + none.err()).contains("nope").contains("unit");
  }
}
