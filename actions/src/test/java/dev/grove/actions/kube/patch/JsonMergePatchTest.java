package dev.grove.actions.kube.patch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonMergePatchTest {

  /** RFC 7386 appendix A, as JSON (which is YAML). */
  @ParameterizedTest(name = "{0} + {1} = {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"a\":\"b\"}                 | {\"a\":\"c\"}               | {\"a\":\"c\"}",
        "{\"a\":\"b\"}                 | {\"b\":\"c\"}               | {\"a\":\"b\",\"b\":\"c\"}",
        "{\"a\":\"b\"}                 | {\"a\":null}                | {}",
        "{\"a\":\"b\",\"b\":\"c\"}     | {\"a\":null}                | {\"b\":\"c\"}",
        "{\"a\":[\"b\"]}               | {\"a\":\"c\"}               | {\"a\":\"c\"}",
        "{\"a\":\"c\"}                 | {\"a\":[\"b\"]}             | {\"a\":[\"b\"]}",
        "{\"a\":{\"b\":\"c\"}}         | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
        "{\"a\":[{\"b\":\"c\"}]}       | {\"a\":[1]}                 | {\"a\":[1]}",
        "[\"a\",\"b\"]                 | [\"c\",\"d\"]               | [\"c\",\"d\"]",
        "{\"a\":\"b\"}                 | [\"c\"]                     | [\"c\"]",
        "{\"a\":\"foo\"}               | null                        | null",
        "{\"a\":\"foo\"}               | \"bar\"                     | \"bar\"",
        "{\"e\":null}                  | {\"a\":1}                   | {\"e\":null,\"a\":1}",
        "[1,2]                         | {\"a\":\"b\",\"c\":null}    | {\"a\":\"b\"}",
        "{}                            | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}",
      })
  void followsRfc7386(String target, String patch, String expected) throws Exception {
    assertThat(JsonMergePatch.apply(Yaml.value(target), Yaml.value(patch)))
        .isEqualTo(Yaml.value(expected));
  }

  @Test
  void listsAreReplacedWholeNullsInsideThemKept() throws Exception {
    Map<String, Object> result =
        JsonMergePatch.apply(
            Yaml.map("spec: {containers: [{name: a, image: x}, {name: b}]}"),
            Yaml.map("spec: {containers: [{name: a, image: y, command: null}]}"));

    assertThat(result)
        .isEqualTo(Yaml.value("spec: {containers: [{name: a, image: y, command: null}]}"));
  }

  @Test
  void theTargetIsNotChanged() throws Exception {
    Map<String, Object> target = Yaml.map("{a: {b: 1, c: 2}}");

    JsonMergePatch.apply(target, Yaml.map("{a: {b: null, d: 3}}"));

    assertThat(target).isEqualTo(Yaml.value("{a: {b: 1, c: 2}}"));
  }
}
