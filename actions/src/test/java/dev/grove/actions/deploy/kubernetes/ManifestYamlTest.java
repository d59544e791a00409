package dev.grove.actions.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.grove.actions.deploy.kubernetes.ManifestYaml.Document;
import dev.grove.actions.kube.Yamls;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestYamlTest {

  private static Object value(String scalar) throws ActionException {
    List<Document> documents = ManifestYaml.parse("v: " + scalar, "f.yml");
    return ((Map<?, ?>) documents.get(0).value()).get("v");
  }

  /** What kubectl sends for each plain scalar (go-yaml v2 into interface{}, then JSON). */
  static Stream<Arguments> scalarsAsKubectlReadsThem() {
    return Stream.of(
        arguments("yes", true),
        arguments("on", true),
        arguments("Y", true),
        arguments("y", true),
        arguments("TRUE", true),
        arguments("no", false),
        arguments("off", false),
        arguments("n", false),
        arguments("~", null),
        arguments("null", null),
        arguments("\"yes\"", "yes"),
        arguments("'on'", "on"),
        arguments("80", 80L),
        arguments("-3", -3L),
        arguments("+3", 3L),
        arguments("1_000", 1000L),
        arguments("0755", 493L),
        arguments("0o17", 15L),
        arguments("0x1F", 31L),
        arguments("0b101", 5L),
        arguments("08", 8.0),
        arguments("18446744073709551615", new BigInteger("18446744073709551615")),
        arguments("1.5", 1.5),
        arguments(".5", 0.5),
        arguments("1e+3", 1000.0),
        arguments("1e3", "1e3"),
        arguments("12:30", "12:30"),
        arguments("2024-01-31", "2024-01-31"),
        arguments("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
        arguments("v1.2", "v1.2"),
        arguments("!!str 80", "80"),
        arguments("!!float 1", 1.0),
        arguments("hello world", "hello world"));
  }

  @ParameterizedTest
  @MethodSource("scalarsAsKubectlReadsThem")
  void plainScalarsAreTypedAsKubectlTypesThem(String yaml, Object expected) throws Exception {
    assertThat(value(yaml)).as(yaml).isEqualTo(expected);
  }

  @Test
  void keysBecomeStringsAsInJson() throws Exception {
    Object document = ManifestYaml.parse("yes: a\n80: b\nnull: c\n", "f.yml").get(0).value();

    assertThat(document).isEqualTo(Map.of("true", "a", "80", "b", "null", "c"));
  }

  @Test
  void emptyDocumentsAreSkippedButCountInTheIndex() throws Exception {
    List<Document> documents =
        ManifestYaml.parse("---\na: 1\n---\n---\n# nothing\n---\nb: 2\n", "f.yml");

    assertThat(documents)
        .containsExactly(new Document(0, 2, Map.of("a", 1L)), new Document(3, 7, Map.of("b", 2L)));
  }

  @Test
  void mergeKeysFillInWhatTheMapDoesNotWrite() throws Exception {
    Object document =
        ManifestYaml.parse(
                """
                base: &base {a: 1, b: 2}
                merged:
                  b: 3
                  <<: *base
                  c: 4
                """,
                "f.yml")
            .get(0)
            .value();

    assertThat(Yamls.at(document, "merged")).isEqualTo(Map.of("a", 1L, "b", 3L, "c", 4L));
  }

  @Test
  void aliasesAreIndependentCopies() throws Exception {
    Map<?, ?> document =
        (Map<?, ?>) ManifestYaml.parse("a: &x {k: v}\nb: *x\n", "f.yml").get(0).value();

    assertThat(document.get("a")).isEqualTo(document.get("b")).isNotSameAs(document.get("b"));
  }

  @Test
  void aKeyWrittenTwiceIsAnErrorWithBothLines() {
    ActionException e =
        catchThrowableOfType(
            ActionException.class,
            () ->
                ManifestYaml.parse(
                    "metadata:\n  name: a\n  labels: {}\n  name: b\n", "deploy.x: app.yml"));

    assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
    assertThat(e.getMessage())
        .isEqualTo(
            "deploy.x: app.yml at line 4, column 3 has the key \"name\" twice in one map (first at"
                + " line 2).");
  }

  @Test
  void aSyntaxErrorNamesTheFileAndLine() {
    ActionException e =
        catchThrowableOfType(
            ActionException.class,
            () -> ManifestYaml.parse("a: 1\nb: [1, 2\nc: 3\n", "deploy.x: app.yml"));

    assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
    assertThat(e.getMessage()).startsWith("deploy.x: app.yml is not valid YAML at line ");
    assertThat(e.suggestion()).contains("kubectl would refuse it too");
  }
}
