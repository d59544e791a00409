package dev.grove.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grove.api.action.ActionSummary;
import dev.grove.api.error.Problem;
import dev.grove.api.project.ProjectSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatsTest {
  private static final ProjectSummary SHOP =
      new ProjectSummary(
          "shop",
          "dev",
          List.of(
              new ActionSummary("build.api", "Build", "container", "api", "v-a1", List.of(), false),
              new ActionSummary(
                  "deploy.api",
                  "Deploy",
                  "kubernetes",
                  "api",
                  "v-d2",
                  List.of("build.api", "deploy.db"),
                  false),
              new ActionSummary("deploy.db", "Deploy", "container", "db", "v-d3", List.of(), true)),
          List.of(new Problem("W", "a warning", null, null)));

  @Test
  void jsonHasExactlyTheContractKeysInOrderAndNoWarnings() throws Exception {
    JsonNode json = dev.grove.cli.TestJson.MAPPER.readTree(Formats.summaryJson(SHOP));

    assertThat(json.fieldNames()).toIterable().containsExactly("project", "environment", "actions");
    assertThat(json.get("actions").get(1).fieldNames())
        .toIterable()
        .containsExactly("ref", "kind", "type", "name", "version", "dependencies", "disabled");
    assertThat(json.get("actions").get(1).get("dependencies").get(1).asText())
        .isEqualTo("deploy.db");
    assertThat(json.get("actions").get(2).get("disabled").asBoolean()).isTrue();
  }

  @Test
  void textHasOneLinePerActionWithItsDependencies() {
    assertThat(Formats.graphText(SHOP))
        .isEqualTo(
            "build.api (container)\n"
                + "deploy.api (kubernetes) <- build.api, deploy.db\n"
                + "deploy.db (container) [disabled]\n");
  }

  @Test
  void dotPointsFromAnActionToItsDependencies() {
    String dot = Formats.dot(SHOP);
    assertThat(dot)
        .startsWith("digraph \"shop\" {\n")
        .contains("\"build.api\" [label=\"build.api\\ncontainer\"];")
        .contains("\"deploy.db\" [label=\"deploy.db\\ncontainer\", style=dashed];")
        .contains("\"deploy.api\" -> \"build.api\";")
        .contains("\"deploy.api\" -> \"deploy.db\";")
        .endsWith("}\n");
  }

  @Test
  void mermaidIsAGraphTdWithSafeIds() {
    assertThat(Formats.mermaid(SHOP))
        .isEqualTo(
            "graph TD\n"
                + "  n0[\"build.api\"]\n"
                + "  n1[\"deploy.api\"]\n"
                + "  n2[\"deploy.db\"]\n"
                + "  n1 --> n0\n"
                + "  n1 --> n2\n"
                + "  class n2 disabled\n"
                + "  classDef disabled stroke-dasharray: 5 5\n");
  }
}
