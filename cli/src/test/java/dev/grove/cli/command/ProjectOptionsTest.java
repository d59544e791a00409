package dev.grove.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectOptionsTest {

  @ParameterizedTest
  @ValueSource(strings = {".=y", "....=c", "a..b=c", ".a=b", "a.=b"})
  void aVarNameWithAnEmptyPartIsAUsageError(String var) {
    assertThatThrownBy(() -> ProjectOptions.parseVars(List.of(var)))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--var '" + var + "'")
        .hasMessageContaining("empty part");
  }

  @Test
  void nestedAndPlainNamesAreKept() {
    assertThat(ProjectOptions.parseVars(List.of("a=1", "b.c=x=y")))
        .isEqualTo(Map.of("a", "1", "b.c", "x=y"));
  }
}
