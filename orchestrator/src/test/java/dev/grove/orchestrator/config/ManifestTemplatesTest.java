package dev.grove.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.TreeTemplates;
import dev.grove.orchestrator.template.TemplateResolver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestTemplatesTest {
  private final TreeTemplates templates =
      ManifestTemplates.of(
          new TemplateResolver(),
          Map.of(
              "var",
              Map.of(
                  "labels", Map.of("team", "shop", "tier", "web"),
                  "motd", "line one\nkey: value",
                  "ports", List.of(80, 443))));

  @Test
  void aWholeValueKeepsItsTypeAndAMultiLineStringStaysAString() throws ActionException {
    Object out =
        templates.resolve(
            Map.of("labels", "${var.labels}", "data", Map.of("motd", "${var.motd}")), "f.yml");
    assertThat(out)
        .isEqualTo(
            Map.of(
                "labels", Map.of("team", "shop", "tier", "web"),
                "data", Map.of("motd", "line one\nkey: value")));
  }

  @Test
  void gardensJsonEncodeIdiomGivesTheObjectAsGardenUsersExpect() throws ActionException {
    Object out = templates.resolve(Map.of("ports", "${jsonEncode(var.ports)}"), "f.yml");
    assertThat(out).isEqualTo(Map.of("ports", List.of(80, 443)));
    Object text = templates.resolve(Map.of("ports", "${string(jsonEncode(var.ports))}"), "f.yml");
    assertThat(text).isEqualTo(Map.of("ports", "[80,443]"));
  }

  @Test
  void anUnknownVariableNamesTheFileAndDocument() {
    assertThatThrownBy(
            () -> templates.resolve(Map.of("image", "${var.nope}"), "backend/dep.yml document 2"))
        .isInstanceOf(ActionException.class)
        .hasMessageContaining("backend/dep.yml document 2")
        .hasMessageContaining("nope");
  }
}
