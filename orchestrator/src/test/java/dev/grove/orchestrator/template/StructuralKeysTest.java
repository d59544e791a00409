package dev.grove.orchestrator.template;

import static dev.grove.orchestrator.template.TemplateResolverTest.list;
import static dev.grove.orchestrator.template.TemplateResolverTest.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructuralKeysTest {

  private final TemplateResolver resolver = new TemplateResolver();

  private static Map<String, Object> context() {
    return map(
        "var",
        map(
            "labels", map("team", "core", "tier", "web"),
            "extraArgs", list("--verbose", "--color"),
            "services", list("api", "web", "worker"),
            "ports", map("http", 80L, "https", 443L),
            "prod", false),
        "environment",
        map("name", "dev"),
        "runtime",
        TemplateValues.DEFERRED);
  }

  @Test
  void mergeFromTemplateIsOverriddenByLaterKeysAndOverridesEarlierKeys() throws Exception {
    Object tree =
        map(
            "tier",
            "before",
            "$merge",
            "${var.labels}",
            "team",
            "after",
            "app",
            "${environment.name}");
    Object out = resolver.resolveTree(tree, context());
    assertThat(out).isEqualTo(map("tier", "web", "team", "after", "app", "dev"));
  }

  @Test
  void mergeAcceptsALiteralMapWithTemplates() throws Exception {
    Object tree = map("$merge", map("env", "${environment.name}"), "a", 1L);
    assertThat(resolver.resolveTree(tree, context())).isEqualTo(map("env", "dev", "a", 1L));
  }

  @Test
  void mergeOfANonMapIsAnErrorWithPath() {
    Object tree = map("spec", map("labels", map("$merge", "${var.extraArgs}")));
    TemplateException e =
        catchThrowableOfType(TemplateException.class, () -> resolver.resolveTree(tree, context()));
    assertThat(e.getMessage()).contains("$merge needs a map, got array");
    assertThat(e.path()).containsExactly("spec", "labels", "$merge");
    assertThat(e.suggestion()).contains("$merge");
  }

  @Test
  void concatSplicesATemplatedListIntoItsParentList() throws Exception {
    Object tree = map("args", list("run", map("$concat", "${var.extraArgs}"), "--end"));
    assertThat(resolver.resolveTree(tree, context()))
        .isEqualTo(map("args", list("run", "--verbose", "--color", "--end")));
  }

  @Test
  void concatSplicesALiteralList() throws Exception {
    Object tree = list(map("$concat", list("${environment.name}", 2L)));
    assertThat(resolver.resolveTree(tree, context())).isEqualTo(list("dev", 2L));
  }

  @Test
  void concatOfANonListIsAnError() {
    Object tree = list(map("$concat", "${var.labels}"));
    TemplateException e =
        catchThrowableOfType(TemplateException.class, () -> resolver.resolveTree(tree, context()));
    assertThat(e.getMessage()).contains("$concat needs a list, got object");
    assertThat(e.path()).containsExactly(0, "$concat");
  }

  @Test
  void ifPicksThenOrElseBranch() throws Exception {
    Object tree =
        map(
            "replicas",
            map("$if", "${environment.name == \"dev\"}", "$then", 1L, "$else", 3L),
            "image",
            map("$if", "${var.prod}", "$then", "prod-image", "$else", "${environment.name}-image"));
    assertThat(resolver.resolveTree(tree, context()))
        .isEqualTo(map("replicas", 1L, "image", "dev-image"));
  }

  @Test
  void falseIfWithoutElseRemovesTheKeyOrListElement() throws Exception {
    Object tree =
        map(
            "debug", map("$if", "${var.prod}", "$then", true),
            "args", list("a", map("$if", "${var.prod}", "$then", "b"), "c"));
    assertThat(resolver.resolveTree(tree, context())).isEqualTo(map("args", list("a", "c")));
  }

  @Test
  void ifConditionMustBeBoolean() {
    Object tree = map("x", map("$if", "${environment.name}", "$then", 1L));
    TemplateException e =
        catchThrowableOfType(TemplateException.class, () -> resolver.resolveTree(tree, context()));
    assertThat(e.getMessage()).contains("$if must resolve to a boolean, got string");
    assertThat(e.path()).containsExactly("x", "$if");
  }

  @Test
  void forEachOverAListGivesIndexAndValue() throws Exception {
    Object tree =
        map(
            "$forEach",
            "${var.services}",
            "$return",
            map("name", "${item.value}", "index", "${item.key}"));
    assertThat(resolver.resolveTree(tree, context()))
        .isEqualTo(
            list(
                map("name", "api", "index", 0L),
                map("name", "web", "index", 1L),
                map("name", "worker", "index", 2L)));
  }

  @Test
  void forEachOverAMapWithFilter() throws Exception {
    Object tree =
        map(
            "$forEach", "${var.ports}",
            "$filter", "${item.value > 100}",
            "$return", "${item.key}:${item.value}");
    assertThat(resolver.resolveTree(tree, context())).isEqualTo(list("https:443"));
  }

  @Test
  void forEachInsideConcatSplicesItsResults() throws Exception {
    Object tree =
        list(
            "first", map("$concat", map("$forEach", list("a", "b"), "$return", "--${item.value}")));
    assertThat(resolver.resolveTree(tree, context())).isEqualTo(list("first", "--a", "--b"));
  }

  @Test
  void forEachWithoutReturnIsAnError() {
    Object tree = map("list", map("$forEach", list(1L)));
    TemplateException e =
        catchThrowableOfType(TemplateException.class, () -> resolver.resolveTree(tree, context()));
    assertThat(e.getMessage()).contains("needs a $return");
    assertThat(e.path()).containsExactly("list");
  }

  @Test
  void errorsInNestedStringsCarryTheTreePath() {
    Object tree = map("spec", map("containers", list(map("image", "${var.imagTag}"))));
    TemplateException e =
        catchThrowableOfType(TemplateException.class, () -> resolver.resolveTree(tree, context()));
    assertThat(e.path()).containsExactly("spec", "containers", 0, "image");
    assertThat(e.expression()).isEqualTo("${var.imagTag}");
  }

  @Test
  void resolveTreeReturnsANewTreeAndLeavesInputUntouched() throws Exception {
    Map<String, Object> inner = map("tag", "${environment.name}", "plain", "x");
    Map<String, Object> tree = map("a", inner, "b", list(1L, 2.5, true, null));
    Object out = resolver.resolveTree(tree, context());
    assertThat(out)
        .isEqualTo(map("a", map("tag", "dev", "plain", "x"), "b", list(1L, 2.5, true, null)));
    assertThat(inner.get("tag")).isEqualTo("${environment.name}");
    assertThat(((Map<?, ?>) out).get("a")).isNotSameAs(inner);
  }

  @Test
  void deferredStringsInTreesAreKeptAsWritten() throws Exception {
    Object tree = map("log", "${runtime.services.api.log}", "env", "${environment.name}");
    assertThat(resolver.resolveTree(tree, context()))
        .isEqualTo(map("log", "${runtime.services.api.log}", "env", "dev"));
  }

  @Test
  void escapedTemplatesInTreesAreUnescaped() throws Exception {
    Object tree = map("cmd", List.of("echo $${HOME}"));
    assertThat(resolver.resolveTree(tree, context())).isEqualTo(map("cmd", list("echo ${HOME}")));
  }
}
