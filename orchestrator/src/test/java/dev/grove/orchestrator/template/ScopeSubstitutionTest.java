package dev.grove.orchestrator.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScopeSubstitutionTest {
  private final TemplateResolver resolver = new TemplateResolver();
  private final Map<String, Object> scope =
      Map.of(
          "inputs", Map.of("port", 8080L, "names", List.of("a", "b"), "env", Map.of("K", "v")),
          "parent", Map.of("name", "api"));

  private Object substitute(Object tree) throws TemplateException {
    return new ScopeSubstitution(resolver, null).substitute(tree, scope);
  }

  @Test
  void aWholeScopeExpressionKeepsItsTypeAndOtherTemplatesStayAsWritten() throws Exception {
    assertThat(substitute("${inputs.port}")).isEqualTo(8080L);
    assertThat(substitute("${var.x}")).isEqualTo("${var.x}");
    assertThat(substitute("${parent.name}-${var.x} $${kept}")).isEqualTo("api-${var.x} $${kept}");
  }

  @Test
  void aMixedExpressionIsWrittenBackWithTheScopesValuesAsLiterals() throws Exception {
    Object out = substitute("${actions.build[\"${parent.name}-img\"].outputs.deployment-image-id}");
    assertThat(out).isEqualTo("${actions.build.api-img.outputs.deployment-image-id}");
    Object mixed = substitute("${var.on ? inputs.env : inputs.names}");
    assertThat(mixed)
        .isEqualTo("${(var.on ? jsonDecode(\"{\\\"K\\\":\\\"v\\\"}\") : [\"a\", \"b\"])}");
    // What it was written to resolves, in the full context, to what the whole would have.
    Map<String, Object> context = Map.of("var", Map.of("on", true));
    assertThat(resolver.resolveString((String) mixed, context)).isEqualTo(Map.of("K", "v"));
  }

  @Test
  void forEachOverTheScopeIsExpandedWithItemInScope() throws Exception {
    Object out =
        substitute(
            Map.of(
                "$forEach", "${inputs.names}",
                "$return", "${parent.name}-${item.value}-${var.suffix}"));
    assertThat(out).isEqualTo(List.of("api-a-${var.suffix}", "api-b-${var.suffix}"));
  }

  @Test
  void forEachOverOtherValuesIsLeftForLater() throws Exception {
    Object out =
        substitute(Map.of("$forEach", "${var.names}", "$return", "${parent.name}-${item.value}"));
    assertThat(out).isEqualTo(Map.of("$forEach", "${var.names}", "$return", "api-${item.value}"));
  }

  @Test
  void aMissingInputIsAnErrorNamingIt() {
    assertThatThrownBy(() -> substitute(Map.of("a", List.of("${inputs.nope}"))))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("nope")
        .satisfies(e -> assertThat(((TemplateException) e).path()).containsExactly("a", 0));
  }
}
