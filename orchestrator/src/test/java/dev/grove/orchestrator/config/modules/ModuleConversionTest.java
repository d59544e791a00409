package dev.grove.orchestrator.config.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.api.error.Problem;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Module configs become the actions Garden 0.13.24 converts them to (names, specs, errors). */
class ModuleConversionTest {
  private static final String PROJECT =
      """
      apiVersion: garden.io/v1
      kind: Project
      name: modules
      environments: [{name: local}]
      providers: [{name: exec}]
      variables: {greeting: hello}
      """;

  @TempDir Path root;

  private LoadedProject load(String... pathsAndContents) throws IOException {
    write("project.garden.yml", PROJECT);
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      write(pathsAndContents[i], pathsAndContents[i + 1]);
    }
    return Fixtures.load(root, null, Map.of(), Map.of());
  }

  private List<Problem> problems(String... pathsAndContents) {
    try {
      load(pathsAndContents);
    } catch (ConfigException e) {
      return e.problems();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected the project to fail to load");
  }

  private void write(String path, String content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static LoadedProject.ResolvedAction action(LoadedProject project, String ref) {
    LoadedProject.ResolvedAction action = project.actions().get(ActionRef.parse(ref).orElseThrow());
    assertThat(action).as(ref + " in " + project.actions().keySet()).isNotNull();
    return action;
  }

  @Test
  void aContainerModuleWithADockerfileIsABuildADeployPerServiceARunPerTaskAndATestPerTest()
      throws IOException {
    write("api/Dockerfile", "FROM scratch\n");
    LoadedProject project =
        load(
            "api/garden.yml",
            """
            kind: Module
            type: container
            name: api
            image: shop/api
            buildArgs: {MODE: prod}
            services:
              - name: api-server
                ports: [{name: http, containerPort: 8080}]
                dependencies: [migrate]
            tasks:
              - name: migrate
                description: Migrates the schema
                args: [migrate]
            tests:
              - name: unit
                args: [npm, test]
                timeout: 60
            """);
    assertThat(project.actions().keySet().stream().map(ActionRef::toString))
        .containsExactlyInAnyOrder(
            "build.api", "deploy.api-server", "run.migrate", "test.api-unit");
    assertThat(action(project, "build.api").config().type()).isEqualTo("container");
    assertThat(action(project, "build.api").spec())
        .containsEntry("localId", "shop/api")
        .containsEntry("publishId", "shop/api")
        .containsEntry("buildArgs", Map.of("MODE", "prod"));
    LoadedProject.ResolvedAction deploy = action(project, "deploy.api-server");
    assertThat(deploy.config().build()).isEqualTo("api");
    assertThat(deploy.spec()).containsOnlyKeys("ports");
    assertThat(deploy.dependencies())
        .extracting(ActionRef::toString)
        .containsExactlyInAnyOrder("build.api", "run.migrate");
    assertThat(deploy.config().sourceDir()).isEqualTo("api");
    assertThat(action(project, "run.migrate").config().description())
        .isEqualTo("Migrates the schema");
    assertThat(action(project, "run.migrate").spec()).containsOnlyKeys("args");
    assertThat(action(project, "test.api-unit").config().timeout()).isEqualTo(60L);
  }

  @Test
  void aContainerModuleWithOnlyAnImageDeploysThatImageWithoutABuild() throws IOException {
    LoadedProject project =
        load(
            "db/garden.yml",
            """
            kind: Module
            type: container
            name: db
            image: postgres:16
            services: [{name: db, ports: [{name: pg, containerPort: 5432}]}]
            tasks: [{name: db-init, command: [psql], dependencies: [db]}]
            ---
            kind: Module
            type: exec
            name: client
            services:
              - name: client
                deployCommand: [echo, "${modules.db.outputs.deployment-image-name}"]
            """);
    assertThat(project.actions()).doesNotContainKey(ActionRef.of(ActionKind.BUILD, "db"));
    assertThat(action(project, "deploy.db").spec()).containsEntry("image", "postgres:16");
    assertThat(action(project, "run.db-init").spec()).containsEntry("image", "postgres:16");
    assertThat(action(project, "deploy.client").spec())
        .containsEntry("deployCommand", List.of("echo", "postgres"));
  }

  @Test
  void anExecModuleAlwaysHasABuildAndItsEnvUnderEachEntrysOwn() throws IOException {
    LoadedProject project =
        load(
            "tools/garden.yml",
            """
            kind: Module
            type: exec
            name: tools
            local: true
            env: {MODE: release, LEVEL: info}
            variables: {who: world}
            services:
              - name: server
                deployCommand: [./run.sh]
                env: {LEVEL: debug}
            tasks:
              - name: seed
                command: [echo, "${var.greeting} ${var.who}"]
            """);
    LoadedProject.ResolvedAction build = action(project, "build.tools");
    assertThat(build.config().type()).isEqualTo("exec");
    assertThat(build.spec()).containsEntry("shell", true).doesNotContainKey("command");
    assertThat(action(project, "deploy.server").spec())
        .containsEntry("deployCommand", List.of("./run.sh"))
        .containsEntry("env", Map.of("MODE", "release", "LEVEL", "debug"));
    assertThat(action(project, "run.seed").spec())
        .containsEntry("command", List.of("echo", "hello world"));
    assertThat(action(project, "run.seed").dependencies())
        .extracting(ActionRef::toString)
        .containsExactly("build.tools");
  }

  @Test
  void aKubernetesModuleIsADeployOfItsFilesAndKubernetesPodRunsForTasksWithATarget()
      throws IOException {
    LoadedProject project =
        load(
            "k8s/manifests.yml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
            "k8s/garden.yml",
            """
            kind: Module
            type: kubernetes
            name: api
            files: [manifests.yml]
            serviceResource: {kind: Deployment, containerName: api}
            tasks:
              - name: api-migrate
                command: [migrate]
            tests:
              - name: smoke
                command: [smoke]
                resource: {kind: StatefulSet, name: other}
            ---
            kind: Module
            type: kubernetes
            name: plain
            manifests: [{apiVersion: v1, kind: ConfigMap, metadata: {name: p}}]
            tasks: [{name: untargeted, command: [x]}]
            """);
    LoadedProject.ResolvedAction deploy = action(project, "deploy.api");
    assertThat(deploy.config().include()).containsExactly("manifests.yml");
    assertThat(deploy.spec())
        .containsEntry("files", List.of("manifests.yml"))
        .containsEntry(
            "defaultTarget", Map.of("kind", "Deployment", "name", "api", "containerName", "api"));
    assertThat(action(project, "run.api-migrate").config().type()).isEqualTo("kubernetes-pod");
    assertThat(action(project, "run.api-migrate").spec())
        .containsEntry(
            "resource", Map.of("kind", "Deployment", "name", "api", "containerName", "api"));
    assertThat(action(project, "test.api-smoke").spec())
        .containsEntry("resource", Map.of("kind", "StatefulSet", "name", "other"));
    assertThat(project.actions()).doesNotContainKey(ActionRef.of(ActionKind.RUN, "untargeted"));
  }

  @Test
  void aManifestFileReferencingAModulesOutputsMovesIntoTheDeploysManifests() throws IOException {
    write("api/Dockerfile", "FROM scratch\n");
    LoadedProject project =
        load(
            "api/garden.yml",
            "kind: Module\ntype: container\nname: api-image\n",
            "k8s/manifests.yml",
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: api}
            spec:
              containers: [{name: api, image: "${modules.api-image.outputs.deployment-image-id}"}]
            """,
            "k8s/plain.yml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\n",
            "k8s/garden.yml",
            """
            kind: Module
            type: kubernetes
            name: api
            build: {dependencies: [api-image]}
            files: [manifests.yml, plain.yml]
            """);
    LoadedProject.ResolvedAction deploy = action(project, "deploy.api");
    assertThat(deploy.spec()).containsEntry("files", List.of("plain.yml"));
    assertThat(deploy.spec().get("manifests").toString())
        .contains("image=api-image:" + action(project, "build.api-image").version());
    assertThat(deploy.config().include()).containsExactly("manifests.yml", "plain.yml");
  }

  @Test
  void runtimeReferencesBecomeActionReferencesWithTheirDependency() throws IOException {
    LoadedProject project =
        load(
            "garden.yml",
            """
            kind: Module
            type: exec
            name: db
            services: [{name: db, deployCommand: [echo, db]}]
            tasks: [{name: seed, command: [echo, seed]}]
            ---
            kind: Module
            type: exec
            name: web
            services:
              - name: web
                deployCommand: [echo, web]
                env:
                  DB_LOG: ${runtime.services.db.outputs.log}
                  SEED_LOG: ${runtime.tasks.seed.outputs.log}
            """);
    assertThat(action(project, "deploy.web").dependencies())
        .extracting(ActionRef::toString)
        .containsExactlyInAnyOrder("build.web", "deploy.db", "run.seed");
  }

  @Test
  void aDisabledModuleDisablesEveryActionItBecomes() throws IOException {
    LoadedProject project =
        load(
            "old/garden.yml",
            """
            kind: Module
            type: exec
            name: old
            disabled: true
            services: [{name: old, deployCommand: [echo]}]
            tests: [{name: check, command: [echo]}]
            """);
    assertThat(project.actions().values()).allMatch(a -> a.config().disabled());
    assertThat(project.actions()).hasSize(3);
  }

  @Test
  void aMissingBuildDependencyNamesTheModuleFileAndLine() {
    List<Problem> problems =
        problems(
            "web/garden.yml",
            """
            kind: Module
            type: exec
            name: web
            build:
              dependencies: [shraed]
            ---
            kind: Module
            type: exec
            name: shared
            """);
    assertThat(problems)
        .anySatisfy(
            p -> {
              assertThat(p.message()).contains("web", "shraed");
              assertThat(p.suggestion()).contains("shared");
              assertThat(p.location().file()).isEqualTo("web/garden.yml");
              assertThat(p.location().line()).isEqualTo(5);
            });
  }

  @Test
  void aDependencyOnAnActionIsAnErrorAsInGarden() {
    List<Problem> problems =
        problems(
            "garden.yml",
            """
            kind: Module
            type: exec
            name: web
            services:
              - name: web
                deployCommand: [echo]
                dependencies: [warmup]
            ---
            kind: Run
            type: exec
            name: warmup
            spec: {command: [echo]}
            """);
    assertThat(problems)
        .anySatisfy(
            p -> {
              assertThat(p.message()).contains("warmup", "no service or task");
              assertThat(p.location().line()).isEqualTo(7);
              assertThat(p.location().path()).isEqualTo("services[0].dependencies[0]");
            });
  }

  @Test
  void aFieldGroveDoesNotKnowInAServiceIsReportedAtTheModulesLine() {
    List<Problem> problems =
        problems(
            "api/garden.yml",
            """
            kind: Module
            type: container
            name: api
            image: nginx:1
            services:
              - name: api
                portz: [{name: http, containerPort: 80}]
            """);
    assertThat(problems)
        .anySatisfy(
            p -> {
              assertThat(p.message()).contains("portz");
              assertThat(p.location().file()).isEqualTo("api/garden.yml");
              assertThat(p.location().line()).isEqualTo(7);
            });
  }

  private static final String CHART = "apiVersion: v2\nname: web\nversion: 0.1.0\n";

  @Test
  void aHelmModuleIsABuildAHelmDeployAndHelmPodRunsAsInGarden() throws IOException {
    LoadedProject project =
        load(
            "web/chart/Chart.yaml",
            CHART,
            "web/values/dev.yaml",
            "replicas: 2\n",
            "web/garden.yml",
            """
            kind: Module
            type: helm
            name: web
            chartPath: chart
            valueFiles: [values/dev.yaml]
            values: {greeting: hello}
            serviceResource: {kind: Deployment, name: web-web, containerName: web}
            timeout: 120
            tasks:
              - name: web-migrate
                command: [migrate]
            tests:
              - name: smoke
                command: [smoke]
            ---
            kind: Module
            type: helm
            name: redis
            chart: redis
            repo: https://charts.example.com
            version: 17.0.0
            releaseName: cache
            atomicInstall: false
            dependencies: [web]
            tasks: [{name: untargeted, command: [x]}]
            """);
    LoadedProject.ResolvedAction build = action(project, "build.web");
    assertThat(build.config().type()).isEqualTo("exec");
    LoadedProject.ResolvedAction deploy = action(project, "deploy.web");
    assertThat(deploy.config().type()).isEqualTo("helm");
    assertThat(deploy.config().build()).isEqualTo("web");
    assertThat(deploy.config().include())
        .containsExactly(
            "chart/*", "chart/charts/**/*", "chart/templates/**/*", "chart/values/dev.yaml");
    assertThat(deploy.spec())
        .containsEntry("atomic", true)
        .containsEntry("releaseName", "web")
        .containsEntry("chart", Map.of("path", "chart"))
        .containsEntry("values", Map.of("greeting", "hello"))
        .containsEntry("valueFiles", List.of("values/dev.yaml"))
        .containsEntry(
            "defaultTarget",
            Map.of("kind", "Deployment", "name", "web-web", "containerName", "web"));
    assertThat(action(project, "run.web-migrate").config().type()).isEqualTo("helm-pod");
    assertThat(action(project, "run.web-migrate").spec())
        .containsEntry("releaseName", "web")
        .containsEntry(
            "resource", Map.of("kind", "Deployment", "name", "web-web", "containerName", "web"));
    assertThat(action(project, "test.web-smoke").config().type()).isEqualTo("helm-pod");

    LoadedProject.ResolvedAction redis = action(project, "deploy.redis");
    assertThat(redis.spec())
        .containsEntry("atomic", false)
        .containsEntry("releaseName", "cache")
        .containsEntry(
            "chart",
            Map.of("name", "redis", "repo", "https://charts.example.com", "version", "17.0.0"));
    assertThat(redis.dependencies())
        .extracting(Object::toString)
        .contains("deploy.web", "build.redis");
    assertThat(project.actions()).doesNotContainKey(ActionRef.of(ActionKind.RUN, "untargeted"));
  }

  @Test
  void aHelmModuleWithABaseCopiesItsChartAndMergesItsValues() throws IOException {
    LoadedProject project =
        load(
            "base/chart/Chart.yaml",
            CHART,
            "base/garden.yml",
            """
            kind: Module
            type: helm
            name: base-chart
            chartPath: chart
            skipDeploy: true
            values: {image: {repository: web, tag: v1}, replicas: 1}
            serviceResource: {kind: Deployment, containerName: app}
            """,
            "api/garden.yml",
            """
            kind: Module
            type: helm
            name: api
            base: base-chart
            values: {image: {tag: v2}}
            """);
    assertThat(project.actions()).doesNotContainKey(ActionRef.of(ActionKind.DEPLOY, "base-chart"));
    assertThat(project.actions()).containsKey(ActionRef.of(ActionKind.BUILD, "base-chart"));
    LoadedProject.ResolvedAction build = action(project, "build.api");
    assertThat(build.dependencies()).extracting(Object::toString).contains("build.base-chart");
    LoadedProject.ResolvedAction deploy = action(project, "deploy.api");
    assertThat(deploy.spec())
        .containsEntry("chart", Map.of("path", "../base/chart"))
        .containsEntry(
            "values", Map.of("image", Map.of("repository", "web", "tag", "v2"), "replicas", 1L))
        .containsEntry(
            "defaultTarget", Map.of("kind", "Deployment", "name", "api", "containerName", "app"));
  }

  @Test
  void aHelmModuleWhoseBaseIsNoHelmModuleIsAnErrorAtItsBase() {
    List<Problem> problems =
        problems(
            "k/garden.yml",
            "kind: Module\ntype: kubernetes\nname: k\nmanifests: []\n",
            "h/garden.yml",
            "kind: Module\ntype: helm\nname: h\nbase: k\n");
    assertThat(problems)
        .anySatisfy(
            p -> {
              assertThat(p.message()).contains("Helm module h", "`kubernetes` Module");
              assertThat(p.location().line()).isEqualTo(4);
            });
  }

  @Test
  void aContainerModuleWithNeitherImageNorDockerfileIsAnErrorAsInGarden() {
    List<Problem> problems = problems("x/garden.yml", "kind: Module\ntype: container\nname: x\n");
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message()).contains("neither specifies `image` nor has a Dockerfile");
              assertThat(p.location().line()).isEqualTo(3);
            });
  }

  @Test
  void anUnknownModuleTypeIsAnErrorWithTheTypesGroveConverts() {
    List<Problem> problems = problems("x/garden.yml", "kind: Module\ntype: contianer\nname: x\n");
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message()).contains("contianer");
              assertThat(p.suggestion()).contains("container");
            });
  }
}
