package dev.grove.actions.build.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.actions.build.container.Dockerfile.Instruction;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerfileTest {

  @Test
  void joinsContinuationsAndSkipsCommentsKeepingTheFirstLineNumber() throws Exception {
    Dockerfile file =
        Dockerfile.parse(
            String.join(
                "\n",
                "# syntax=docker/dockerfile:1",
                "",
                "from alpine:3.20",
                "# a comment",
                "ENV A=1 \\",
                "  # comment inside a continuation",
                "    B=2",
                "COPY --chown=1000:1000 --chmod=0755 --link app /app/"),
            "Dockerfile");

    assertThat(file.instructions())
        .extracting(Instruction::line, Instruction::keyword)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, "FROM"),
            org.assertj.core.groups.Tuple.tuple(5, "ENV"),
            org.assertj.core.groups.Tuple.tuple(8, "COPY"));
    assertThat(file.instructions().get(1).args()).isEqualTo("A=1     B=2");
    Instruction copy = file.instructions().get(2);
    assertThat(copy.flags())
        .containsExactly(
            Map.entry("chown", "1000:1000"), Map.entry("chmod", "0755"), Map.entry("link", "true"));
    assertThat(copy.args()).isEqualTo("app /app/");
  }

  @Test
  void tellsTheExecFormFromTheShellForm() throws Exception {
    Dockerfile file =
        Dockerfile.parse(
            "FROM scratch\nENTRYPOINT [\"/app\", \"--port\", \"8080\"]\nCMD echo hi\n"
                + "CMD [not json]\nCMD [\"a\\\"b\", \"\\u0041\"]\n",
            "Dockerfile");

    List<Instruction> all = file.instructions();
    assertThat(all.get(1).execForm()).containsExactly("/app", "--port", "8080");
    assertThat(all.get(2).execForm()).isNull();
    assertThat(all.get(3).execForm()).isNull();
    assertThat(all.get(4).execForm()).containsExactly("a\"b", "A");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "$A/b            | x/b",
        "${A}b           | xb",
        "${UNSET}b       | b",
        "${UNSET:-def}   | def",
        "${A:-def}       | x",
        "${A:+alt}       | alt",
        "${UNSET:+alt}   | ''",
        "\"$A y\"        | x y",
        "\\$A            | $A",
        "cost$           | cost$",
      })
  void substitutesVariablesAsDockerDoes(String text, String expected) throws Exception {
    List<String> words = Dockerfile.words(text, Map.of("A", "x"), "Dockerfile", 1);

    assertThat(String.join(" ", words)).isEqualTo(expected);
  }

  @Test
  void keepsSingleQuotedTextAsIs() throws Exception {
    assertThat(Dockerfile.words("'$A' x", Map.of("A", "x"), "Dockerfile", 1))
        .containsExactly("$A", "x");
  }

  @Test
  void splitsWordsOnWhitespaceOutsideQuotes() throws Exception {
    assertThat(Dockerfile.words("a=\"1 2\" b='3 4' c=5\\ 6", Map.of(), "Dockerfile", 1))
        .containsExactly("a=1 2", "b=3 4", "c=5 6");
  }

  @Test
  void rejectsAnUnknownInstructionNamingFileAndLine() {
    assertThatThrownBy(() -> Dockerfile.parse("FROM scratch\n\nCOPPY a b\n", "web/Dockerfile"))
        .isInstanceOf(ActionException.class)
        .hasMessageContaining("web/Dockerfile:3")
        .hasMessageContaining("COPPY")
        .extracting(e -> ((ActionException) e).code())
        .isEqualTo(ActionCodes.INVALID_SPEC);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                          | Dockerfile:1 | no instructions",
        "ENV A=1\\nFROM scratch      | Dockerfile:1 | before the first FROM",
        "ARG V=1                     | Dockerfile:1 | no FROM",
        "FROM scratch\\nWORKDIR      | Dockerfile:2 | needs arguments",
        "FROM scratch\\nCOPY -- a b  | Dockerfile:2 | empty flag",
      })
  void rejectsMalformedFiles(String text, String where, String what) {
    assertThatThrownBy(() -> Dockerfile.parse(text.replace("\\n", "\n"), "Dockerfile"))
        .isInstanceOf(ActionException.class)
        .hasMessageContaining(where)
        .hasMessageContaining(what);
  }

  @Test
  void rejectsAnUnterminatedQuoteAndABadSubstitution() {
    assertThatThrownBy(() -> Dockerfile.words("a=\"b", Map.of(), "Dockerfile", 7))
        .hasMessageContaining("Dockerfile:7")
        .hasMessageContaining("unterminated double quote");
    assertThatThrownBy(() -> Dockerfile.words("${A", Map.of(), "Dockerfile", 4))
        .hasMessageContaining("Dockerfile:4")
        .hasMessageContaining("missing '}'");
    assertThatThrownBy(() -> Dockerfile.words("${A:?err}", Map.of(), "Dockerfile", 4))
        .hasMessageContaining("unsupported modifier");
  }
}
