package dev.grove.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.action.ActionRef;
import dev.grove.api.error.Problem;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.error.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateExpansionTest {
  @TempDir Path dir;

  private static final String PROJECT =
      "apiVersion: garden.io/v1\nkind: Project\nname: t\nenvironments:\n  - name: local\n"
          + "variables:\n  registry: example.com\n";

  private static final String SCHEMA =
      "{\"type\": \"object\", \"properties\": {\"port\": {\"type\": \"integer\", \"minimum\": 1},"
          + " \"replicas\": {\"type\": \"integer\", \"default\": 2},"
          + " \"env\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}}},"
          + " \"required\": [\"port\"], \"additionalProperties\": false}";

  private static final String TEMPLATE =
      "kind: ConfigTemplate\n"
          + "name: service\n"
          + "inputsSchemaPath: schema.json\n"
          + "configs:\n"
          + "  - kind: Build\n"
          + "    type: exec\n"
          + "    name: ${parent.name}-image\n"
          + "    spec:\n"
          + "      command: [echo, \"${template.name} ${var.registry}/${parent.name}\"]\n"
          + "  - kind: Deploy\n"
          + "    type: exec\n"
          + "    name: ${parent.name}\n"
          + "    dependencies: [\"build.${parent.name}-image\"]\n"
          + "    spec:\n"
          + "      deployCommand: [echo, \"${actions.build[\\\"${parent.name}-image\\\"].outputs.log}\"]\n"
          + "      env:\n"
          + "        PORT: \"${inputs.port}\"\n"
          + "        REPLICAS: \"${inputs.replicas}\"\n"
          + "        $merge: ${inputs.env}\n";

  private void write(String path, String text) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private LoadedProject load() {
    return Fixtures.load(dir, null, Map.of(), Map.of());
  }

  private List<Problem> problems() {
    try {
      load();
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the load to fail");
  }

  private void service(String name, String inputs) throws IOException {
    write(
        name + "/garden.yml",
        "kind: RenderTemplate\ntemplate: service\nname: " + name + "\ninputs:\n" + inputs);
  }

  @Test
  void aRenderTemplateBecomesTheTemplatesActionsWithInputsParentAndTemplateResolved()
      throws IOException {
    write("project.garden.yml", PROJECT);
    write("templates/schema.json", SCHEMA);
    write("templates/garden.yml", TEMPLATE);
    service("api", "  port: 8080\n  env:\n    MODE: fast\n");

    LoadedProject project = load();

    assertThat(project.actions().keySet())
        .extracting(ActionRef::toString)
        .containsExactlyInAnyOrder("build.api-image", "deploy.api");
    assertThat(project.graph().dependencies(ActionRef.parse("deploy.api").orElseThrow()))
        .extracting(ActionRef::toString)
        .containsExactly("build.api-image");
    LoadedProject.ResolvedAction build =
        project.actions().get(ActionRef.parse("build.api-image").orElseThrow());
    assertThat(build.spec().get("command")).isEqualTo(List.of("echo", "service example.com/api"));
    LoadedProject.ResolvedAction deploy =
        project.actions().get(ActionRef.parse("deploy.api").orElseThrow());
    assertThat(deploy.spec().get("env"))
        .isEqualTo(Map.of("PORT", 8080L, "REPLICAS", 2L, "MODE", "fast"));
    // A rendered action lives in the RenderTemplate's folder, as in Garden.
    assertThat(deploy.config().sourceDir()).isEqualTo("api");
  }

  @Test
  void anInputThatBreaksTheSchemaNamesTheFileTheInputAndTheRule() throws IOException {
    write("project.garden.yml", PROJECT);
    write("templates/schema.json", SCHEMA);
    write("templates/garden.yml", TEMPLATE);
    service("api", "  port: eighty\n  colour: blue\n");

    List<Problem> problems = problems();

    assertThat(problems).extracting(Problem::code).containsOnly("INVALID_INPUTS");
    assertThat(problems).hasSize(2);
    Problem port = problems.get(0);
    assertThat(port.location().file()).isEqualTo("api/garden.yml");
    assertThat(port.location().line()).isEqualTo(5);
    assertThat(port.message())
        .contains("`inputs.port`")
        .contains("must be an integer, got the string \"eighty\"")
        .contains("properties.port.type")
        .contains("templates/schema.json");
    assertThat(problems.get(1).message())
        .contains("`inputs.colour`")
        .contains("additionalProperties");
  }

  @Test
  void aMissingRequiredInputIsAnError() throws IOException {
    write("project.garden.yml", PROJECT);
    write("templates/schema.json", SCHEMA);
    write("templates/garden.yml", TEMPLATE);
    service("api", "  replicas: 1\n");

    assertThat(problems())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message()).contains("`port`, which is required").contains("required"));
  }

  @Test
  void aRenderTemplateNamingAnUnknownTemplateIsAnErrorAtItsLine() throws IOException {
    write("project.garden.yml", PROJECT);
    write("templates/schema.json", SCHEMA);
    write("templates/garden.yml", TEMPLATE);
    write(
        "api/garden.yml",
        "kind: RenderTemplate\nname: api\ntemplate: servise\ninputs: {port: 1}\n");

    Problem problem = problems().get(0);

    assertThat(problem.code()).isEqualTo("UNKNOWN_TEMPLATE");
    assertThat(problem.location().file()).isEqualTo("api/garden.yml");
    assertThat(problem.location().line()).isEqualTo(3);
    assertThat(problem.message()).contains("`servise`");
    assertThat(problem.suggestion()).contains("`service`");
  }

  @Test
  void aBadExpressionInTheTemplateIsAnErrorAtTheTemplatesLine() throws IOException {
    write("project.garden.yml", PROJECT);
    write("templates/schema.json", SCHEMA);
    write("templates/garden.yml", TEMPLATE.replace("${inputs.replicas}", "${inputs.replicas +}"));
    service("api", "  port: 8080\n");

    Problem problem = problems().get(0);

    assertThat(problem.code()).isEqualTo("TEMPLATE_ERROR");
    assertThat(problem.location().file()).isEqualTo("templates/garden.yml");
    assertThat(problem.location().line()).isEqualTo(18);
    assertThat(problem.message())
        .contains("configs[1].spec.env.REPLICAS")
        .contains("api/garden.yml");
  }

  @Test
  void anErrorInARenderedActionPointsAtTheTemplate() throws IOException {
    write("project.garden.yml", PROJECT);
    write("templates/schema.json", SCHEMA);
    write(
        "templates/garden.yml",
        TEMPLATE.replace(
            "type: exec\n    name: ${parent.name}\n", "type: exek\n    name: ${parent.name}\n"));
    service("api", "  port: 8080\n  env: {}\n");

    Problem problem = problems().get(0);

    assertThat(problem.code()).isEqualTo("UNKNOWN_TYPE");
    assertThat(problem.location().file()).isEqualTo("templates/garden.yml");
    assertThat(problem.location().line()).isEqualTo(11);
  }

  @Test
  void forEachInConfigsRendersOneActionPerItem() throws IOException {
    write("project.garden.yml", PROJECT);
    write(
        "templates/garden.yml",
        "kind: ConfigTemplate\n"
            + "name: workers\n"
            + "configs:\n"
            + "  - $concat:\n"
            + "      $forEach: ${inputs.queues}\n"
            + "      $return:\n"
            + "        kind: Deploy\n"
            + "        type: exec\n"
            + "        name: ${parent.name}-${item.value}\n"
            + "        spec:\n"
            + "          deployCommand: [work, \"${item.value}\", \"${var.registry}\"]\n");
    write(
        "jobs/garden.yml",
        "kind: RenderTemplate\ntemplate: workers\nname: jobs\ninputs:\n  queues: [mail, sms]\n");

    LoadedProject project = load();

    assertThat(project.actions().keySet())
        .extracting(ActionRef::toString)
        .containsExactlyInAnyOrder("deploy.jobs-mail", "deploy.jobs-sms");
    assertThat(
            project
                .actions()
                .get(ActionRef.parse("deploy.jobs-sms").orElseThrow())
                .spec()
                .get("deployCommand"))
        .isEqualTo(List.of("work", "sms", "example.com"));
  }

  @Test
  void twoRenderTemplatesOfTheSameNameAreAnErrorAtTheSecond() throws IOException {
    write("project.garden.yml", PROJECT);
    write("templates/schema.json", SCHEMA);
    write("templates/garden.yml", TEMPLATE);
    service("api", "  port: 8080\n  env: {}\n");
    write(
        "other/garden.yml",
        "kind: RenderTemplate\ntemplate: service\nname: api\ninputs: {port: 1}\n");

    Problem problem = problems().get(0);

    assertThat(problem.code()).isEqualTo("DUPLICATE_TEMPLATE");
    assertThat(problem.location().file()).isEqualTo("other/garden.yml");
    assertThat(problem.message()).contains("api/garden.yml:3");
  }

  @Test
  void configsMayComeWholeFromTheInputs() throws IOException {
    write("project.garden.yml", PROJECT);
    write("templates/garden.yml", "kind: ConfigTemplate\nname: any\nconfigs: ${inputs.configs}\n");
    write(
        "x/garden.yml",
        "kind: RenderTemplate\ntemplate: any\nname: x\ninputs:\n  configs:\n"
            + "    - {kind: Run, type: exec, name: x-seed, spec: {command: [echo]}}\n");

    assertThat(load().actions().keySet())
        .extracting(ActionRef::toString)
        .containsExactly("run.x-seed");
  }

  @Test
  void aModuleTemplateRendersModulesForATemplatedModule() throws IOException {
    write("project.garden.yml", PROJECT);
    write(
        "templates/garden.yml",
        "kind: ModuleTemplate\n"
            + "name: svc\n"
            + "modules:\n"
            + "  - type: exec\n"
            + "    name: ${parent.name}-mod\n"
            + "    generateFiles:\n"
            + "      - sourcePath: config.txt\n"
            + "        targetPath: .config.txt\n");
    write("templates/config.txt", "name=${parent.name} port=${inputs.port} keep=$${var.x}\n");
    write(
        "api/garden.yml",
        "kind: Module\ntype: templated\ntemplate: svc\nname: api\ninputs:\n  port: 1\n");
    Diagnostics diagnostics = new Diagnostics();

    List<ConfigDocument> out = expand(dir, diagnostics, "templates/garden.yml", "api/garden.yml");

    assertThat(diagnostics.hasErrors()).isFalse();
    assertThat(out)
        .singleElement()
        .satisfies(
            doc -> {
              assertThat(doc.content().get("kind")).isEqualTo("Module");
              assertThat(doc.content().get("name")).isEqualTo("api-mod");
              assertThat(doc.file()).isEqualTo(dir.resolve("api/garden.yml"));
              assertThat(doc.content().get("generateFiles"))
                  .isEqualTo(
                      List.of(
                          Map.of(
                              "targetPath",
                              ".config.txt",
                              "value",
                              "name=api port=1 keep=$${var.x}\n")));
            });
  }

  @Test
  void gardensModuleTemplateExampleRendersItsModulesWithTheirGeneratedFiles() {
    Path root = Fixtures.project("garden-compat/templates-module-template");
    Diagnostics diagnostics = new Diagnostics();

    List<ConfigDocument> out =
        expand(root, diagnostics, "template/garden.yml", "module/garden.yml");

    assertThat(diagnostics.hasErrors()).isFalse();
    assertThat(out)
        .extracting(
            doc ->
                doc.content().get("kind")
                    + " "
                    + doc.content().get("type")
                    + " "
                    + doc.content().get("name"))
        .containsExactly(
            "Module container my-service-image", "Module kubernetes my-service-manifests");
    ConfigDocument manifests = out.get(1);
    assertThat(manifests.file()).isEqualTo(root.resolve("module/garden.yml"));
    assertThat(manifests.displayFile()).isEqualTo("template/garden.yml");
    assertThat(manifests.locations().find("build.dependencies")[0]).isEqualTo(11);
    assertThat(manifests.content().get("build"))
        .isEqualTo(Map.of("dependencies", List.of("my-service-image")));
    String generated =
        (String)
            ((Map<?, ?>) ((List<?>) manifests.content().get("generateFiles")).get(0)).get("value");
    assertThat(generated)
        .contains("name: my-service\n")
        .contains("port: 80\n")
        .contains("replicas: 3\n")
        .contains("containerPort: 8080")
        .contains("image: ${modules.my-service-image.outputs.deployment-image-id}");
  }

  /** The documents of the files after the expansion, in a project with no variables. */
  private static List<ConfigDocument> expand(Path root, Diagnostics diagnostics, String... files) {
    dev.grove.orchestrator.template.TemplateResolver resolver =
        new dev.grove.orchestrator.template.TemplateResolver();
    ProjectConfig project =
        new ProjectResolver(new Templating(resolver))
            .resolve(
                root,
                YamlLoader.load(root.resolve("project.garden.yml"), "project.garden.yml")
                    .documents()
                    .get(0),
                new LoadOptions(null, Map.of(), Map.of()),
                new Diagnostics());
    List<ConfigDocument> docs = new java.util.ArrayList<>();
    for (String file : files) {
      docs.addAll(YamlLoader.load(root.resolve(file), file).documents());
    }
    return new TemplateExpansion(
            new Templating(resolver), project, TemplateContexts.project(root, "t", Map.of()))
        .expand(docs, diagnostics);
  }
}
