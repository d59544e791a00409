package dev.grove.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.error.Problem;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.error.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Workflows and custom Commands are loaded and checked as Garden 0.13.24 checks them. */
class ProjectCommandsTest {

  private static ConfigException invalidLoad() {
    try {
      Fixtures.load("garden-compat/workflows-invalid");
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("workflows-invalid loaded");
  }

  @Test
  void workflowsAndCommandsWrittenAsGardensDocsWriteThemLoadBesideTheActions() {
    LoadedProject project = Fixtures.load("garden-compat/workflows-basic");

    assertThat(project.actions()).hasSize(1);
    ProjectCommands commands = project.commands();
    assertThat(commands.workflows().keySet())
        .containsExactlyInAnyOrder(
            "build-and-report", "failing", "unknown-command", "slow", "env-precedence");
    WorkflowConfig workflow = commands.workflows().get("build-and-report");
    assertThat(workflow.steps())
        .extracting(WorkflowConfig.Step::name)
        .containsExactly("prepare", "step-2", "report", "step-4");
    assertThat(workflow.steps().get(1).command()).containsExactly("build", "api");
    assertThat(workflow.steps().get(1).description()).isEqualTo("Build the API");
    // templates stay raw until the workflow runs
    assertThat(workflow.steps().get(3).skip()).isEqualTo("${environment.name == 'local'}");
    assertThat(workflow.envVars()).containsEntry("STAGE", "${environment.name}");

    CustomCommandConfig greet = commands.commands().get("greet");
    assertThat(greet.shortDescription()).isEqualTo("Greet someone, then build the API");
    assertThat(greet.args()).extracting(CustomCommandConfig.Parameter::name).containsExactly("who");
    assertThat(commands.commands().keySet()).containsExactlyInAnyOrder("greet", "exit-with");
    assertThat(greet.opts())
        .extracting(CustomCommandConfig.Parameter::type)
        .containsExactly("boolean");
    assertThat(greet.gardenCommand()).isEqualTo(List.of("build", "api"));
    assertThat(project.warnings()).isEmpty();
  }

  @Test
  void invalidWorkflowsFailTheLoadAtTheirFileAndLineAsGardenValidateDoes() {
    ConfigException failure = invalidLoad();

    List<Problem> errors = failure.problems();
    assertThat(errors)
        .extracting(
            p -> p.location().file() + ":" + p.location().line() + " " + p.location().path())
        .containsExactlyInAnyOrder(
            "workflows.garden.yml:7 steps", // no steps
            "workflows.garden.yml:14 steps[0].wen", // Garden: key "wen" is not allowed
            "workflows.garden.yml:19 triggers[0].environment"); // Garden: Invalid environment
    assertThat(errors.get(0).message()).isEqualTo("The Workflow has no `steps`.");
    assertThat(errors)
        .anySatisfy(p -> assertThat(p.suggestion()).isEqualTo("Did you mean `when`?"))
        .anySatisfy(p -> assertThat(p.suggestion()).isEqualTo("Valid environments: local."));
  }

  @Test
  void whatGarden0_13_24AcceptsOrChecksOnlyWhenRunIsAWarning() {
    ConfigException failure = invalidLoad();

    assertThat(failure.error().warnings())
        .extracting(p -> p.location().file() + ":" + p.location().line() + " " + p.message())
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("workflows.garden.yml:4 Step 1 has both `command` and `script`"))
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("continue.garden.yml:5 `continueOnError` is not in Garden 0.13"))
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("workflows.garden.yml:23 Command undescribed needs")
                    .contains("`grove undescribed` fails with this"))
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith(
                        "sub/garden.yml:1 Garden reads custom Commands only from config files at"
                            + " the project root"));
  }
}
