package dev.grove.orchestrator.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IgnoreRulesTest {

  private static IgnoreRules root(String... lines) {
    return IgnoreRules.parse("", List.of(lines));
  }

  /** Rules are separated by ';' in the table; a path ending in '/' is a folder. */
  @ParameterizedTest(name = "[{0}] {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # unanchored patterns match a name at any depth
          *.log                 | debug.log          | true
          *.log                 | a/b/debug.log      | true
          *.log                 | debug.txt          | false
          build                 | build/out.jar      | true
          build                 | src/build/x.o      | true
          build                 | rebuild/x          | false
          # a slash at the start or middle anchors to the file's folder
          /build                | build/out.jar      | true
          /build                | src/build/x.o      | false
          doc/frotz             | doc/frotz/a        | true
          doc/frotz             | a/doc/frotz/a      | false
          # trailing slash: folders only
          out/                  | out/a.txt          | true
          out/                  | out                | false
          out/                  | out/               | true
          # globstar forms
          **/logs               | logs/a             | true
          **/logs               | x/y/logs/a         | true
          **/logs/*.txt         | x/logs/a.txt       | true
          abc/**                | abc/x/y            | true
          abc/**                | abc                | false
          a/**/b                | a/b                | true
          a/**/b                | a/x/y/b            | true
          # negation re-includes, later lines win
          *.log;!keep.log       | keep.log           | false
          *.log;!keep.log       | drop.log           | true
          !keep.log;*.log       | keep.log           | true
          # a file cannot be re-included when its folder is excluded
          build/;!build/keep    | build/keep         | true
          build/*;!build/keep   | build/keep         | false
          build/*;!build/keep   | build/other        | true
          # comments, blank lines, escapes, trailing spaces
          '#secret'             | '#secret'          | false
          \\#secret             | #secret            | true
          \\!important          | !important         | true
          a.txt\\u0020\\u0020   | a.txt              | true
          ;;x                   | x                  | true
          # braces are literal in gitignore
          {a,b}                 | a                  | false
          {a,b}                 | {a,b}              | true
          [ab].txt              | b.txt              | true
          """)
  void followsGitignoreSemantics(String rules, String path, boolean expected) {
    List<String> lines =
        Arrays.stream(rules.split(";", -1)).map(l -> l.replace("\\u0020", " ")).toList();
    boolean directory = path.endsWith("/");
    String p = directory ? path.substring(0, path.length() - 1) : path;
    assertThat(IgnoreRules.parse("", lines).isIgnored(p, directory)).isEqualTo(expected);
  }

  @Test
  void rulesOfANestedFileApplyOnlyBelowItsFolder() {
    IgnoreRules rules = IgnoreRules.parse("sub", List.of("*.tmp", "/gen"));

    assertThat(rules.isIgnored("sub/a.tmp", false)).isTrue();
    assertThat(rules.isIgnored("sub/deep/a.tmp", false)).isTrue();
    assertThat(rules.isIgnored("a.tmp", false)).isFalse();
    assertThat(rules.isIgnored("other/a.tmp", false)).isFalse();
    assertThat(rules.isIgnored("sub/gen/x.java", false)).isTrue();
    assertThat(rules.isIgnored("gen/x.java", false)).isFalse();
    assertThat(rules.isIgnored("sub/deep/gen/x.java", false)).isFalse();
  }

  @Test
  void deeperFileOverridesItsParent() {
    IgnoreRules rules = root("*.log").then(IgnoreRules.parse("app/", List.of("!important.log")));

    assertThat(rules.isIgnored("app/important.log", false)).isFalse();
    assertThat(rules.isIgnored("important.log", false)).isTrue();
    assertThat(rules.isIgnored("app/other.log", false)).isTrue();
  }

  @Test
  void crlfLineEndingsAreIgnored() {
    assertThat(root("*.bak\r").isIgnored("x.bak", false)).isTrue();
  }

  @Test
  void emptyRulesIgnoreNothing() {
    assertThat(IgnoreRules.EMPTY.isIgnored("anything/at/all", false)).isFalse();
    assertThat(root("# only a comment", "", "   ").isEmpty()).isTrue();
  }

  @Test
  void malformedPatternIsSkippedLikeGitDoes() {
    IgnoreRules rules = root("[unclosed", "*.o");

    assertThat(rules.isIgnored("a.o", false)).isTrue();
    assertThat(rules.isIgnored("[unclosed", false)).isFalse();
  }
}
