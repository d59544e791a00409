package dev.grove.actions.kube.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPatchTest {

  /** Examples of RFC 6902 appendix A (JSON is YAML). */
  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"foo\":\"bar\"} | [{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}] | {\"baz\":\"qux\",\"foo\":\"bar\"}",
        "{\"foo\":[\"bar\",\"baz\"]} | [{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}] | {\"foo\":[\"bar\",\"qux\",\"baz\"]}",
        "{\"baz\":\"qux\",\"foo\":\"bar\"} | [{\"op\":\"remove\",\"path\":\"/baz\"}] | {\"foo\":\"bar\"}",
        "{\"foo\":[\"bar\",\"qux\",\"baz\"]} | [{\"op\":\"remove\",\"path\":\"/foo/1\"}] | {\"foo\":[\"bar\",\"baz\"]}",
        "{\"baz\":\"qux\",\"foo\":\"bar\"} | [{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}] | {\"baz\":\"boo\",\"foo\":\"bar\"}",
        "{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}} | [{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}] | {\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}",
        "{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]} | [{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}] | {\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}",
        "{\"foo\":\"bar\"} | [{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}] | {\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}",
        "{\"foo\":[\"bar\"]} | [{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\",\"def\"]}] | {\"foo\":[\"bar\",[\"abc\",\"def\"]]}",
        "{\"/\":9,\"~1\":10} | [{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}] | {\"/\":9,\"~1\":10}",
        "{\"foo\":1} | [{\"op\":\"copy\",\"from\":\"/foo\",\"path\":\"/bar\"}] | {\"foo\":1,\"bar\":1}",
        "{\"foo\":1} | [{\"op\":\"replace\",\"path\":\"\",\"value\":{\"baz\":2}}] | {\"baz\":2}",
        "{\"a\":{\"b\":[1,{\"c\":2}]}} | [{\"op\":\"test\",\"path\":\"/a\",\"value\":{\"b\":[1,{\"c\":2.0}]}}] | {\"a\":{\"b\":[1,{\"c\":2}]}}",
      })
  void followsRfc6902(String document, String patch, String expected) throws Exception {
    assertThat(JsonPatch.apply(Yaml.value(document), Yaml.list(patch)))
        .isEqualTo(Yaml.value(expected));
  }

  @Test
  void aFailedOperationNamesItsIndexAndPathAndChangesNothing() {
    Map<String, Object> deployment = Yaml.map("spec: {replicas: 1, template: {}}");

    assertThatThrownBy(
            () ->
                JsonPatch.apply(
                    deployment,
                    Yaml.list(
                        """
                        - {op: replace, path: /spec/replicas, value: 3}
                        - {op: replace, path: /spec/selector/matchLabels, value: {}}
                        """)))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("operation 1 (replace /spec/selector/matchLabels)")
        .hasMessageContaining("/spec/selector does not exist");
    assertThat(deployment).isEqualTo(Yaml.value("spec: {replicas: 1, template: {}}"));
  }

  @Test
  void aFailedTestSaysWhatItFound() {
    assertThatThrownBy(
            () ->
                JsonPatch.apply(
                    Yaml.map("spec: {replicas: 1}"),
                    Yaml.list("[{op: test, path: /spec/replicas, value: 2}]")))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("operation 0 (test /spec/replicas)")
        .hasMessageContaining("the value is 1, not 2");
  }

  @Test
  void listIndexesMustBeNumbersWithinTheList() {
    Map<String, Object> doc = Yaml.map("a: [x, y]");

    assertThatThrownBy(() -> JsonPatch.apply(doc, Yaml.list("[{op: add, path: /a/3, value: z}]")))
        .hasMessageContaining("past the end of the list (2 items)");
    assertThatThrownBy(() -> JsonPatch.apply(doc, Yaml.list("[{op: remove, path: /a/01}]")))
        .hasMessageContaining("needs a list index, not 01");
    assertThatThrownBy(() -> JsonPatch.apply(doc, Yaml.list("[{op: remove, path: /a/-}]")))
        .hasMessageContaining("needs a list index, not -");
  }

  @Test
  void malformedOperationsAreNamed() {
    Map<String, Object> doc = Yaml.map("a: 1");

    assertThatThrownBy(() -> JsonPatch.apply(doc, Yaml.list("[{op: add, path: /b}]")))
        .hasMessageContaining("operation 0 (add /b): the operation has no value");
    assertThatThrownBy(() -> JsonPatch.apply(doc, Yaml.list("[{op: frobnicate, path: /a}]")))
        .hasMessageContaining("unknown op frobnicate");
    assertThatThrownBy(() -> JsonPatch.apply(doc, Yaml.list("[{op: remove, path: a}]")))
        .hasMessageContaining("not a JSON pointer");
    assertThatThrownBy(() -> JsonPatch.apply(doc, Yaml.list("[{op: move, from: /a, path: /a/b}]")))
        .hasMessageContaining("cannot move /a into itself");
  }

  @Test
  void addingNullIsAValueNotAMissingOne() throws Exception {
    assertThat(JsonPatch.apply(Yaml.map("a: 1"), Yaml.list("[{op: add, path: /b, value: null}]")))
        .isEqualTo(Yaml.value("{a: 1, b: null}"));
  }
}
