package dev.grove.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.api.action.ActionRef;
import dev.grove.api.error.Problem;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.error.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garden's providers: those Grove does not act on, dependencies, outputs, the initScript. */
class ProvidersTest {

  private static ActionRef ref(String text) {
    return ActionRef.parse(text).orElseThrow();
  }

  private static LoadedProject load(String name, String env) {
    return Fixtures.load(Fixtures.project("garden-compat/" + name), env, Map.of(), Map.of());
  }

  @Test
  void providersGroveDoesNotActOnAreOneWarningEachNamingWhatGroveDoesInstead() {
    LoadedProject dev = load("providers-plugins", "dev");
    assertThat(dev.warnings())
        .extracting(p -> p.location().path())
        .containsExactly(
            "providers[1].name",
            "providers[2].name",
            "providers[3].name",
            "providers[5].name",
            "providers[7].name");
    assertThat(dev.warnings().get(3).message())
        .isEqualTo("Grove does not act on Garden's `terraform` provider; it is ignored.");
    assertThat(dev.warnings().get(3).suggestion()).contains("exec Deploy");
    assertThat(dev.warnings().get(4).code()).isEqualTo("UNKNOWN_PROVIDER");
    // Enabled only in ci: warned about there, not in dev.
    assertThat(load("providers-plugins", "ci").warnings())
        .extracting(p -> p.location().path())
        .contains("providers[4].name", "providers[6].name");
  }

  @Test
  void aDependencyOnAProviderGroveIgnoresResolvesAndItsOutputsAreEmpty() {
    LoadedProject project = load("providers-plugins", "dev");
    assertThat(project.project().kubernetes().orElseThrow().defaultHostname())
        .contains("plugins.example.com");
    assertThat(project.actions().get(ref("deploy.hello")).spec().get("deployCommand"))
        .isEqualTo(List.of("echo", "plugins.example.com"));
  }

  @Test
  void providerOutputsResolveInProvidersAndActionsAndHadolintsTestsAreSaidToBeAbsent() {
    LoadedProject project = load("providers-not-acted", null);
    assertThat(project.project().appNamespace()).isEqualTo("shop-init");
    assertThat(project.actions().get(ref("deploy.api")).spec().get("env"))
        .isEqualTo(
            Map.of(
                "INIT_LOG", "shop-init",
                "APP_NAMESPACE", "shop-init",
                "HOSTNAME", "shop.local.demo.garden"));
    assertThat(project.actions()).doesNotContainKey(ref("test.hadolint-api"));
    assertThat(project.warnings())
        .filteredOn(p -> p.message().contains("`hadolint`"))
        .singleElement()
        .satisfies(p -> assertThat(p.suggestion()).contains("Grove adds none"));
  }

  @Test
  void theInitScriptRunsOnceInTheProjectRoot(@TempDir Path dir) throws IOException {
    write(dir, "echo run >> runs.txt; pwd");
    LoadedProject project = Fixtures.load(dir, null, Map.of(), Map.of());
    assertThat(project.actions().get(ref("run.show")).spec().get("command"))
        .isEqualTo(List.of("echo", dir.toRealPath().toString()));
    assertThat(Files.readAllLines(dir.resolve("runs.txt"))).containsExactly("run");
  }

  @Test
  void aFailingInitScriptIsAnErrorNamingTheProviderWithItsOutput(@TempDir Path dir)
      throws IOException {
    write(dir, "echo no credentials >&2; exit 3");
    assertThatThrownBy(() -> Fixtures.load(dir, null, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              Problem problem = e.problems().get(0);
              assertThat(problem.code()).isEqualTo("INIT_SCRIPT_FAILED");
              assertThat(problem.location().path()).isEqualTo("providers[0].initScript");
              assertThat(problem.message())
                  .startsWith("The `exec` provider's initScript exited with code 3.")
                  .contains("no credentials");
            });
  }

  @Test
  void anInitScriptThatDoesNotEndInTimeIsStopped(@TempDir Path dir) {
    InitScript script = new InitScript(dir, Map.of(), Duration.ofMillis(300), new ProcessRunner());
    long start = System.nanoTime();
    InitScript.Outcome outcome = script.run("sleep 30");
    assertThat(outcome.failure()).startsWith("did not complete");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aDependencyOnAProviderNotConfiguredIsAnError(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("project.garden.yml"),
        "kind: Project\nname: p\nenvironments: [{name: dev}]\n"
            + "providers:\n  - name: exec\n    dependencies: [terraform]\n");
    assertThatThrownBy(() -> Fixtures.load(dir, null, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.location().path()).isEqualTo("providers[0].dependencies[0]");
                          assertThat(p.message()).contains("`terraform`");
                        }));
  }

  private static void write(Path dir, String initScript) throws IOException {
    Files.writeString(
        dir.resolve("project.garden.yml"),
        "kind: Project\nname: p\nenvironments: [{name: dev}]\n"
            + "providers:\n  - name: exec\n    initScript: '"
            + initScript
            + "'\n");
    Files.writeString(
        dir.resolve("garden.yml"),
        "kind: Run\ntype: exec\nname: show\n"
            + "spec:\n  command: [echo, '${providers.exec.outputs.initScript.log}']\n");
  }
}
