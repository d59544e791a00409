package dev.grove.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.action.ActionRef;
import dev.grove.api.error.Problem;
import dev.grove.orchestrator.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where Grove's template semantics follow Garden 0.13.24's, each checked against that Garden. */
class TemplateSemanticsTest {

  private static ActionRef ref(String text) {
    return ActionRef.parse(text).orElseThrow();
  }

  private static LoadedProject load(String name, Map<String, String> env) {
    return Fixtures.load(Fixtures.project("garden-compat/" + name), null, Map.of(), env);
  }

  @Test
  void aMissingKeyInAConditionIsFalseInProjectFieldsAndSpecs() {
    LoadedProject dev = load("semantics-conditions", Map.of());
    assertThat(dev.project().environment()).isEqualTo("dev");
    assertThat(dev.actions().get(ref("run.mode")).spec().get("command"))
        .isEqualTo(List.of("echo", "dev", "dev"));
    assertThat(dev.actions().get(ref("run.ci-only")).config().disabled()).isTrue();

    LoadedProject ci = load("semantics-conditions", Map.of("GROVE_COMPAT_UNSET_CI", "1"));
    assertThat(ci.project().environment()).isEqualTo("ci");
    assertThat(ci.actions().get(ref("run.mode")).spec().get("command"))
        .isEqualTo(List.of("echo", "ci", "ci"));
    assertThat(ci.actions().get(ref("run.ci-only")).config().disabled()).isFalse();
  }

  @Test
  void actionVariablesMayReferenceOtherActionsWhichMakesThemDependencies() {
    LoadedProject project = load("semantics-action-variables", Map.of());
    String buildVersion = project.actions().get(ref("build.api")).version();
    var deploy = project.actions().get(ref("deploy.api"));
    assertThat(deploy.dependencies()).containsExactly(ref("build.api"));
    assertThat(deploy.spec().get("deployCommand"))
        .isEqualTo(List.of("echo", "deploying " + buildVersion));
    assertThat(project.actions().get(ref("test.api")).spec().get("command"))
        .isEqualTo(List.of("echo", "api:" + buildVersion));
  }

  @Test
  void whatGardenRejectsLoadsWithAWarningCitingGardensRule() {
    LoadedProject project = load("semantics-garden-rejects", Map.of());
    assertThat(project.warnings()).extracting(Problem::code).containsOnly("GARDEN_REJECTS");
    assertThat(project.warnings())
        .extracting(p -> p.location().path())
        .containsExactly(null, "spec.env.RETRIES");
    assertThat(project.warnings().get(0).message())
        .contains("Action kinds are only supported in project configurations with");
    assertThat(project.warnings().get(1).message()).contains("Expected string, received number");
    assertThat(project.actions().get(ref("run.migrate")).spec().get("env"))
        .isEqualTo(Map.of("RETRIES", 3L, "MODE", "fast"));
  }
}
