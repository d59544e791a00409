package dev.grove.orchestrator.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.api.action.ActionRef;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.run.RunRequest;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.GroveException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which actions a run covers, as Garden's flags decide. */
class RunPlanTest {
  private final LoadedProject failure = Fixtures.load("run-failure");

  private RunPlan plan(String command, List<String> names, boolean skip, boolean dependants) {
    return RunPlan.of(
        failure,
        new RunRequest(
            new ProjectRequest("/", "/", null, Map.of(), Map.of()),
            command,
            names,
            true,
            skip,
            dependants));
  }

  private static List<String> refs(RunPlan plan) {
    return plan.actions().stream().map(ActionRef::toString).toList();
  }

  @Test
  void aDeployBringsWhatItNeedsInGraphOrder() {
    RunPlan plan = plan("deploy", List.of("web"), false, false);
    assertThat(refs(plan)).containsExactly("build.broken", "deploy.api", "deploy.web");
    // --force forces the named actions only, as Garden's does.
    assertThat(plan.forced()).containsExactly(ActionRef.parse("deploy.web").orElseThrow());
  }

  @Test
  void skipDependenciesKeepsBuildsButNotDeploys() {
    assertThat(refs(plan("deploy", List.of("web"), true, false))).containsExactly("deploy.web");
    assertThat(refs(plan("deploy", List.of("api"), true, false)))
        .containsExactly("build.broken", "deploy.api");
  }

  @Test
  void withDependantsAddsWhatDependsOnTheNamedActions() {
    assertThat(refs(plan("deploy", List.of("api"), false, true)))
        .containsExactly("build.broken", "deploy.api", "deploy.web");
  }

  @Test
  void noNamesMeansEveryEnabledActionOfTheKind() {
    assertThat(plan("build", List.of(), false, false).requested())
        .extracting(ActionRef::toString)
        .containsExactlyInAnyOrder("build.broken", "build.docs");
  }

  @Test
  void aDisabledDependencyKeepsItsEdgeButIsNotProcessedWhileADisabledBuildIs() {
    LoadedProject prod = Fixtures.load(Fixtures.project("disabled"), "prod", Map.of(), Map.of());
    assertThat(prod.graph().dependencies(ActionRef.parse("deploy.api").orElseThrow()))
        .extracting(ActionRef::toString)
        .containsExactlyInAnyOrder("build.tool", "deploy.db");
    RunPlan plan =
        RunPlan.of(
            prod,
            new RunRequest(
                new ProjectRequest("/", "/", "prod", Map.of(), Map.of()),
                "deploy",
                List.of("api"),
                false,
                false,
                false));
    assertThat(refs(plan)).containsExactly("build.tool", "deploy.api");
  }

  @Test
  void anUnknownCommandIsABadRequest() {
    assertThatThrownBy(() -> plan("destroy", List.of(), false, false))
        .isInstanceOfSatisfying(
            GroveException.class, e -> assertThat(e.error().code()).isEqualTo("BAD_REQUEST"));
  }
}
