package dev.grove.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.provider.Provider;
import dev.grove.actions.provider.SecretRef;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.api.error.Problem;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.error.ConfigException;
import dev.grove.orchestrator.error.GroveException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectLoaderTest {

  private static ActionRef ref(String text) {
    return ActionRef.parse(text).orElseThrow();
  }

  @Test
  void seedStoryYamlLoadsUnchangedWithFilesAsManifestTemplates() {
    LoadedProject project = Fixtures.load("seed-story");
    var backend = project.actions().get(ref("deploy.backend"));
    assertThat(backend.config().type()).isEqualTo("kubernetes");
    assertThat(backend.spec().get("files")).isEqualTo(List.of("backend/deployment.yml"));
    assertThat(backend.spec().toString()).contains("imagePullSecrets=[{name=gar-pull-secret}]");
    // Garden counts only the manifest files of a kubernetes Deploy without include.
    assertThat(backend.sources())
        .extracting(f -> f.path())
        .containsExactly("backend/deployment.yml");
    assertThat(project.project().appNamespace()).isEqualTo("seed-dev");
  }

  @Test
  void containerBuildOutputsFollowTheDeploymentRegistry() {
    LoadedProject project = Fixtures.load("versions");
    var api = project.actions().get(ref("build.api"));
    var web = project.actions().get(ref("deploy.web"));
    assertThat(web.dependencies()).contains(ref("build.api"), ref("build.web"));
    assertThat(web.spec().toString()).contains("API_IMAGE=api:" + api.version());
  }

  @Test
  void variablesFollowGardenPrecedence() {
    LoadedProject project =
        Fixtures.load(
            Fixtures.project("variables"),
            null,
            Map.of(),
            Map.of("GROVE_TEST_VALUE", "from-shell"));
    Object command = project.actions().get(ref("deploy.show")).spec().get("deployCommand");
    assertThat(command)
        .isEqualTo(
            List.of(
                "action-varfile",
                "project",
                "project-varfile",
                "dev-project",
                "yes-environment-varfile",
                "1-3",
                "dev/default",
                "from-shell",
                "vars"));
    // A value that is exactly one ${...} keeps its type.
    assertThat(
            ((Map<?, ?>) project.actions().get(ref("deploy.show")).spec().get("env")).get("COUNT"))
        .isEqualTo(3L);
  }

  @Test
  void cliVarsWinOverEverything() {
    LoadedProject project =
        Fixtures.load(
            Fixtures.project("variables"), null, Map.of("level", "cli", "nested.a", "9"), Map.of());
    Object command = project.actions().get(ref("deploy.show")).spec().get("deployCommand");
    assertThat((List<?>) command).first().isEqualTo("cli");
    assertThat(((List<?>) command).get(5)).isEqualTo("9-3");
  }

  @Test
  void environmentSelectsVariablesAndNamespace() {
    LoadedProject project =
        Fixtures.load(Fixtures.project("variables"), "prod", Map.of(), Map.of());
    List<?> command =
        (List<?>) project.actions().get(ref("deploy.show")).spec().get("deployCommand");
    assertThat(command.get(0)).isEqualTo("action-varfile");
    assertThat(command.get(6)).isEqualTo("prod/production");
    assertThat(project.project().environment()).isEqualTo("prod");
  }

  @Test
  void namespacedEnvironmentOverridesTheNamespace() {
    LoadedProject project =
        Fixtures.load(Fixtures.project("variables"), "feature-x.dev", Map.of(), Map.of());
    assertThat(project.project().namespace()).isEqualTo("feature-x");
    assertThat(project.project().appNamespace()).isEqualTo("vars-feature-x");
  }

  @Test
  void unknownEnvironmentIsAnErrorListingTheDefinedOnes() {
    assertThatThrownBy(
            () -> Fixtures.load(Fixtures.project("variables"), "stagin", Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems().get(0).message()).contains("`stagin`");
              assertThat(e.problems().get(0).suggestion()).contains("dev").contains("prod");
            });
  }

  @Test
  void brokenYamlNamesFileLineAndColumn() {
    Problem problem = Fixtures.problems("broken-yaml").get(0);
    assertThat(problem.code()).isEqualTo("YAML_SYNTAX");
    assertThat(problem.location().file()).isEqualTo("api/garden.yml");
    assertThat(problem.location().line()).isEqualTo(6);
    assertThat(problem.location().column()).isPositive();
  }

  @Test
  void unknownTypeListsTheKnownTypesAndSuggestsTheClosest() {
    List<Problem> problems = Fixtures.problems("unknown-type");
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0).message()).contains("`kubernetess`");
    assertThat(problems.get(0).suggestion())
        .contains("container, kubernetes, helm, exec")
        .contains("Did you mean `kubernetes`?");
    assertThat(problems.get(0).location().line()).isEqualTo(2);
    assertThat(problems.get(1).location().line()).isEqualTo(6);
    assertThat(problems.get(1).message()).contains("`pulumi`");
  }

  @Test
  void unknownFieldsAreErrorsWithDidYouMean() {
    List<Problem> problems = Fixtures.problems("unknown-field");
    assertThat(problems).extracting(Problem::code).containsOnly("UNKNOWN_FIELD");
    assertThat(problems)
        .extracting(p -> p.location().path())
        .containsExactly("dependancies", "spec.dockerfle");
    assertThat(problems.get(0).suggestion()).isEqualTo("Did you mean `dependencies`?");
    assertThat(problems.get(1).suggestion()).isEqualTo("Did you mean `dockerfile`?");
    assertThat(problems.get(1).location().line()).isEqualTo(6);
  }

  @Test
  void gardenFieldsGroveDoesNotActOnAreWarnings() {
    LoadedProject project = Fixtures.load("not-acted");
    assertThat(project.warnings()).extracting(Problem::code).containsExactly("GROVE_NOT_ACTED_ON");
    assertThat(project.warnings().get(0).location().path()).isEqualTo("spec.sync");
    assertThat(project.actions()).containsOnlyKeys(ref("deploy.api"));
  }

  @Test
  void missingDependencyIsAnErrorWithDidYouMean() {
    Problem problem = Fixtures.problems("missing-dependency").get(0);
    assertThat(problem.code()).isEqualTo("MISSING_DEPENDENCY");
    assertThat(problem.message()).contains("deploy.api depends on build.apii");
    assertThat(problem.suggestion()).isEqualTo("Did you mean `build.api`?");
    assertThat(problem.location().path()).isEqualTo("dependencies[0]");
    assertThat(problem.location().line()).isEqualTo(8);
  }

  @Test
  void cycleThroughATemplateReferencePrintsTheWholePath() {
    Problem problem = Fixtures.problems("cycle").get(0);
    assertThat(problem.code()).isEqualTo("DEPENDENCY_CYCLE");
    assertThat(problem.message())
        .isEqualTo("Dependency cycle: build.a -> deploy.c -> deploy.b -> build.a");
    // Located at the dependency that closes the loop: deploy.b's dependency on build.a.
    assertThat(problem.location().path()).isEqualTo("dependencies[0]");
    assertThat(problem.location().line()).isEqualTo(9);
  }

  @Test
  void badTemplateNamesTheExpressionAndSuggestsTheKey() {
    Problem problem = Fixtures.problems("bad-template").get(0);
    assertThat(problem.code()).isEqualTo("TEMPLATE_ERROR");
    assertThat(problem.location().path()).isEqualTo("spec.image");
    assertThat(problem.location().line()).isEqualTo(7);
    assertThat(problem.message()).contains("imagTag").contains("nginx:${var.imagTag}");
    assertThat(problem.suggestion()).contains("imageTag");
  }

  @Test
  void severalProblemsInOneLoadAreReportedTogether() {
    List<Problem> problems = Fixtures.problems("several-problems");
    assertThat(problems)
        .extracting(p -> p.location().file())
        .contains("a/garden.yml", "b/garden.yml");
    assertThat(problems).extracting(Problem::code).contains("UNKNOWN_FIELD", "MISSING_DEPENDENCY");
  }

  @Test
  void builtInFieldsCannotReferenceOtherActions() {
    Problem problem = Fixtures.problems("contexts").get(0);
    assertThat(problem.location().path()).isEqualTo("disabled");
    assertThat(problem.message()).contains("only its spec can reference other actions");
  }

  @Test
  void dependenciesOnDisabledActionsStayInTheGraphAndEnvironmentsDisable() {
    LoadedProject dev = Fixtures.load("disabled");
    var api = dev.actions().get(ref("deploy.api"));
    assertThat(api.config().disabled()).isTrue();
    assertThat(api.dependencies())
        .containsExactly(ActionRef.of(ActionKind.BUILD, "tool"), ref("deploy.db"));
    LoadedProject prod = Fixtures.load(Fixtures.project("disabled"), "prod", Map.of(), Map.of());
    assertThat(prod.actions().get(ref("deploy.api")).config().disabled()).isFalse();
  }

  @Test
  void aFolderWithoutProjectFileIsProjectNotFound(@TempDir Path dir) {
    assertThatThrownBy(() -> Fixtures.load(dir, null, Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            GroveException.class, e -> assertThat(e.error().code()).isEqualTo("PROJECT_NOT_FOUND"));
  }

  @Test
  void providerFieldsAreCheckedOnceResolved() {
    List<Problem> problems = Fixtures.problems("bad-provider");
    assertThat(problems)
        .extracting(p -> p.location().path())
        .containsExactlyInAnyOrder(
            "providers[0].deploymentRegistry.port",
            "providers[0].imagePullSecrets[0]",
            "providers[0].buildMode");
    assertThat(problems)
        .filteredOn(p -> p.location().path().endsWith("buildMode"))
        .first()
        .satisfies(p -> assertThat(p.suggestion()).isEqualTo("Did you mean `local-docker`?"));
  }

  @Test
  void anUnknownProviderIsAWarningWithDidYouMean(@TempDir Path dir) throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve("project.garden.yml"),
        "kind: Project\nname: p\nenvironments: [{name: dev}]\nproviders: [{name: kubernets}]\n");
    Problem warning = Fixtures.load(dir, null, Map.of(), Map.of()).warnings().get(0);
    assertThat(warning.code()).isEqualTo("UNKNOWN_PROVIDER");
    assertThat(warning.location().path()).isEqualTo("providers[0].name");
    assertThat(warning.suggestion()).isEqualTo("Did you mean `kubernetes`?");
  }

  @Test
  void providersAreParsedOnceIntoTypedRecordsWithGardensDefaults() {
    LoadedProject local = Fixtures.load("providers");
    KubernetesProvider kubernetes = local.project().kubernetes().orElseThrow();
    assertThat(kubernetes.name()).isEqualTo("local-kubernetes");
    assertThat(kubernetes.defaultHostname()).contains("shop.local.demo.garden");
    assertThat(kubernetes.namespaceSettings("shop-local").orElseThrow().labels())
        .isEqualTo(Map.of("team", "checkout"));
    assertThat(local.project().appNamespace()).isEqualTo("shop-local");
    assertThat(local.project().provider("exec")).containsInstanceOf(Provider.Exec.class);
    assertThat(local.actions().get(ref("build.hosts")).spec().get("command"))
        .isEqualTo(List.of("echo", "shop.local.demo.garden", "shop-local", "checkout"));

    LoadedProject remote = Fixtures.load("providers-remote");
    kubernetes = remote.project().kubernetes().orElseThrow();
    assertThat(kubernetes.context()).contains("gke_prod");
    assertThat(kubernetes.buildMode()).isEqualTo("jib");
    assertThat(kubernetes.imagePullSecrets()).containsExactly(new SecretRef("gar-pull", "default"));
    assertThat(remote.project().registry().orElseThrow().prefix())
        .isEqualTo("europe-west1-docker.pkg.dev/my-project/my-repo");
    assertThat(remote.project().appNamespace()).isEqualTo("shop-default");
  }

  @Test
  void oneRejectedActionDoesNotCascadeAndWarningsTravelWithErrors() {
    ConfigException failure = null;
    try {
      Fixtures.load("cascade");
    } catch (ConfigException e) {
      failure = e;
    }
    assertThat(failure).isNotNull();
    assertThat(failure.problems()).extracting(Problem::code).containsExactly("UNKNOWN_TYPE");
    assertThat(failure.error().warnings()).isEmpty();
  }

  @Test
  void actionVarfilesAreRelativeToTheActionsFolder() {
    LoadedProject project = Fixtures.load("varfile-nested");
    assertThat(project.actions().get(ref("deploy.svc")).spec().get("deployCommand"))
        .isEqualTo(List.of("echo", "hello-from-svc"));
  }

  @Test
  void aDeployWithBuildAndAnExcludeCountsItsOwnFiles() {
    LoadedProject project = Fixtures.load("varfile-nested");
    assertThat(project.actions().get(ref("deploy.shaped")).sources())
        .extracting(f -> f.path())
        .containsExactly("svc/main.sh", "svc/svc.env");
  }

  @Test
  void anUnclosedQuoteIsReportedWhereItOpens() {
    Problem problem = Fixtures.problems("unclosed-quote").get(0);
    assertThat(problem.code()).isEqualTo("YAML_SYNTAX");
    assertThat(problem.location().line()).isEqualTo(3);
  }

  @Test
  void aProjectDocumentInGardenYmlAtTheRootIsFound() {
    LoadedProject project = Fixtures.load("project-in-garden-yml");
    assertThat(project.project().name()).isEqualTo("legacy-layout");
    assertThat(project.actions()).containsOnlyKeys(ref("build.tool"));
  }

  @Test
  void anActionEnvironmentTheProjectDoesNotDefineIsAWarning() {
    assertThat(Fixtures.load("disabled").warnings()).isEmpty();
    LoadedProject project = Fixtures.load("unknown-env-on-action");
    assertThat(project.actions().get(ref("build.tool")).config().disabled()).isTrue();
    assertThat(project.warnings()).hasSize(1);
    assertThat(project.warnings().get(0).message()).contains("`prod`");
    assertThat(project.warnings().get(0).suggestion()).isEqualTo("Did you mean `production`?");
  }

  @Test
  void anEnvWithTwoDotsIsAnError() {
    assertThatThrownBy(
            () -> Fixtures.load(Fixtures.project("variables"), "a.b.dev", Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.problems().get(0).suggestion()).contains("one dot"));
  }
}
