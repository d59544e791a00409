package dev.grove.orchestrator.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GlobTest {

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # star stays within one segment, matchBase is off
          *.md              | README.md             | true
          *.md              | docs/README.md        | false
          *                 | a.txt                 | true
          *                 | dir/a.txt             | false
          src/*.java        | src/A.java            | true
          src/*.java        | src/x/A.java          | false
          # globstar matches any number of segments, including none
          **/*.md           | README.md             | true
          **/*.md           | a/b/c/README.md       | true
          **                | a/b/c                 | true
          a/**/b            | a/b                   | true
          a/**/b            | a/x/y/b               | true
          a/**/b            | a/x/y/c               | false
          a/**              | a/x/y                 | true
          a/**              | ab/x                  | false
          a**b              | axxb                  | true
          a**b              | ax/xb                 | false
          # single-character wildcard and classes
          file?.txt         | file1.txt             | true
          file?.txt         | file10.txt            | false
          file?.txt         | file/.txt             | false
          [abc].txt         | b.txt                 | true
          [abc].txt         | d.txt                 | false
          [!a-z].txt        | 1.txt                 | true
          [!a-z].txt        | q.txt                 | false
          [^a-z].txt        | Q.txt                 | true
          v[0-9][0-9]       | v42                   | true
          [-a]x             | -x                    | true
          # braces
          *.{js,ts}         | index.ts              | true
          *.{js,ts}         | index.css             | false
          {src,lib}/**      | lib/a/b.js            | true
          {src,lib}/**      | test/a.js             | false
          {a,b/{c,d}}.txt   | b/d.txt               | true
          {**/*.js,*.md}    | x/y/z.js              | true
          # a pattern without wildcards names a file or a whole folder
          src               | src                   | true
          src               | src/main/A.java       | true
          src               | srcs/A.java           | false
          node_modules      | node_modules/x/y.js   | true
          src/              | src/A.java            | true
          src/              | src                   | false
          ./src/main        | src/main/A.java       | true
          Dockerfile        | Dockerfile            | true
          # dotfiles are matched like any other file (dot: true)
          *                 | .env                  | true
          **/*.yml          | .github/ci.yml        | true
          # escapes and regex characters are literal
          a\\*b             | a*b                   | true
          a\\*b             | axb                   | false
          a+b(1).txt        | a+b(1).txt            | true
          a$b.txt           | a$b.txt               | true
          """)
  void matchesLikeGardensMinimatch(String pattern, String path, boolean expected) {
    assertThat(Glob.compile(pattern).matches(path)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/abs/path", "!negated", "a[bc", "a{b,c", "trailing\\"})
  void malformedPatternIsRejectedWithTheReason(String pattern) {
    assertThatThrownBy(() -> Glob.compile(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + pattern + "'");
  }

  @Test
  void unclosedBracketMessageSaysHowToFixIt() {
    assertThatThrownBy(() -> Glob.compile("a[bc"))
        .hasMessage(
            "Glob pattern 'a[bc' has an unclosed '['; close it with ']' or escape it as '\\['");
  }

  @Test
  void reversedRangeIsRejected() {
    assertThatThrownBy(() -> Glob.compile("[z-a]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[z-a]");
  }

  @Test
  void globsWithTheSamePatternAreEqual() {
    assertThat(Glob.compile("**/*.md")).isEqualTo(Glob.compile("**/*.md"));
    assertThat(Glob.compile("**/*.md").pattern()).isEqualTo("**/*.md");
  }
}
