package dev.grove.orchestrator.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12.4: a template cannot exhaust the daemon. Each value is capped as it is built (1 MiB per
 * string, 100,000 items per list): each of these fails fast with a template error naming the limit,
 * where it used to build gigabytes (or run out of memory).
 */
class TemplateLimitsTest {
  private static final String X = "a".repeat(1000);
  private static final String BIG = "b".repeat(600_000);

  private final TemplateResolver resolver = new TemplateResolver();

  private static Map<String, Object> context() {
    Map<String, Object> var = new LinkedHashMap<>();
    var.put("x", X);
    var.put("big", BIG);
    var.put("long", java.util.Collections.nCopies(100_000, X));
    StringBuilder bomb = new StringBuilder("l0: &l0 [x, x]\n");
    for (int i = 1; i < 25; i++) {
      bomb.append("l").append(i).append(": &l").append(i);
      bomb.append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
    }
    var.put("yamlBomb", bomb.toString());
    var.put("tree", java.util.Collections.nCopies(1000, X));
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("var", var);
    return context;
  }

  static Stream<Arguments> bombs() {
    return Stream.of(
        Arguments.of(
            "${replace(replace(replace(\"aaaaaaaaaa\",\"a\",var.x),\"a\",var.x),\"a\",var.x)}",
            "1 MiB"),
        Arguments.of("${indent(\"a\\nb\\nc\", 100000000)}", "1 MiB"),
        Arguments.of("${join(range(1000000, 0), \",\")}", "100000"),
        Arguments.of("${range(0, 1000000, 1)}", "100000"),
        Arguments.of("${join(var.long, \",\")}", "1 MiB"),
        Arguments.of("${var.big}${var.big}", "1 MiB"),
        Arguments.of("${var.big + var.big}", "1 MiB"),
        Arguments.of("${concat(var.big, var.big)}", "1 MiB"),
        Arguments.of("${concat(range(1, 60000), range(1, 60000))}", "100000"),
        Arguments.of("${range(1, 60000) + range(1, 60000)}", "100000"),
        Arguments.of("${split(replace(var.big, \"b\", \"cc\"), \"\")}", "1 MiB"),
        Arguments.of("${split(slice(var.big, 0, 200000), \"\")}", "100000"),
        Arguments.of("${jsonEncode(var.long)}", "1 MiB"),
        Arguments.of("${yamlEncode(var.long)}", "1 MiB"),
        Arguments.of("${string(var.long)}", "1 MiB"),
        Arguments.of("${base64Encode(var.big + slice(var.big, 0, 300000))}", "1 MiB"),
        Arguments.of("${yamlDecode(var.yamlBomb)}", "1000000 values"),
        Arguments.of(
            "${jsonDecode(\"[\" + replace(slice(var.big, 0, 150000), \"b\", \"1,\") + \"1]\")}",
            "100000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bombs")
  void aValueOverItsCapIsATemplateErrorNamingTheLimit(String template, String limit) {
    TemplateException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> {
              try {
                Object value = resolver.resolveString(template, context());
                throw new AssertionError(
                    "expected a template error, got a value of "
                        + (value instanceof String s ? s.length() + " chars" : value));
              } catch (TemplateException expected) {
                return expected;
              }
            });
    assertThat(e.getMessage()).contains(limit).contains("limit");
    assertThat(e.suggestion()).isNotBlank();
    assertThat(e.getMessage().length() + e.expression().length())
        .as("what the user is shown (the replace bomb repeated its 1,000 characters thrice)")
        .isLessThan(2_000);
  }

  @Test
  void aHugeExpressionIsQuotedShortInItsError() {
    String nested = "${" + "(".repeat(50_000) + "1" + ")".repeat(50_000) + "}";
    TemplateException e = failsWithin(10, () -> resolver.resolveString(nested, context()));
    assertThat(e.expression())
        .hasSizeLessThan(300)
        .startsWith("${((((")
        .contains("100004 characters");
    assertThat(e.getMessage()).hasSizeLessThan(1_100);
  }

  @Test
  void valuesUpToTheCapsStillResolve() throws Exception {
    assertThat((List<?>) resolver.resolveString("${range(1, 100000)}", context())).hasSize(100_000);
    assertThat((List<?>) resolver.resolveString("${range(100000, 1)}", context())).hasSize(100_000);
    assertThat((String) resolver.resolveString("${replace(var.big, \"b\", \"c\")}", context()))
        .hasSize(600_000);
    assertThat((String) resolver.resolveString("${indent(\"a\\nb\", 4)}", context()))
        .isEqualTo("    a\n    b");
  }

  /**
   * Each value under its cap, but many of them: one resolution builds at most 32 Mi characters in
   * all, so 100,000 strings of 600,000 characters stop early instead of filling the heap.
   */
  @Test
  void oneResolutionBuildsAtMostItsBudgetInAll() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put(
        "items", Map.of("$forEach", "${range(1, 100000)}", "$return", "${var.big}${item.value}"));
    TemplateException e = failsWithin(20, () -> resolver.resolveTree(tree, context()));
    assertThat(e.getMessage()).contains("32 Mi").contains("limit");
  }

  /**
   * A $forEach returning the same big subtree for each item shares it; copying the result (for the
   * version, as JSON) would not: the subtree counts against the budget each time.
   */
  @Test
  void forEachReturningASharedSubtreeCountsItEachTime() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("items", Map.of("$forEach", "${range(1, 100000)}", "$return", "${var.tree}"));
    TemplateException e = failsWithin(20, () -> resolver.resolveTree(tree, context()));
    assertThat(e.getMessage()).contains("32 Mi").contains("limit");
  }

  @Test
  void forEachAndConcatAreCappedAsTheyGrow() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put(
        "items",
        List.of(Map.of("$concat", "${range(1, 60000)}"), Map.of("$concat", "${range(1, 60000)}")));
    TemplateException e = failsWithin(10, () -> resolver.resolveTree(tree, context()));
    assertThat(e.getMessage()).contains("100000").contains("limit");
    assertThat(e.path()).containsExactly("items", 1, "$concat");
  }

  /** The template error {@code resolution} throws, within {@code seconds}. */
  private static TemplateException failsWithin(long seconds, Resolution resolution) {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(seconds),
        () -> {
          try {
            resolution.run();
            throw new AssertionError("expected a template error");
          } catch (TemplateException expected) {
            return expected;
          }
        });
  }

  private interface Resolution {
    Object run() throws TemplateException;
  }
}
