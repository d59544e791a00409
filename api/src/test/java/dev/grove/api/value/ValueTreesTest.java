package dev.grove.api.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueTreesTest {

  private static IllegalStateException refuse(ValueTrees.NotJson notJson) {
    return new IllegalStateException(notJson.toString());
  }

  @Test
  void aCopySharesNoMapOrListWithItsSource() {
    List<Object> ports = new ArrayList<>(List.of(80));
    Map<Object, Object> source = new LinkedHashMap<>();
    source.put("ports", ports);
    source.put(1, "one");

    Map<String, Object> copy = ValueTrees.map(ValueTrees.copy(source));
    ports.add(443);

    assertThat(copy).containsOnlyKeys("ports", "1");
    assertThat(copy.get("ports")).isEqualTo(List.of(80));
    ValueTrees.list(copy.get("ports")).add(8080); // copies can be changed
  }

  @Test
  void aJsonCopyNamesWhereATreeHoldsWhatJsonCannot() {
    Map<Object, Object> badKey = new HashMap<>();
    badKey.put(7, "x");
    Object tree = Map.of("spec", Map.of("ports", List.of(Map.of("port", 80), badKey)));
    assertThatThrownBy(() -> ValueTrees.copyJson(tree, false, ValueTreesTest::refuse))
        .hasMessageContaining("NotJson[path=spec.ports[1], badKey=true, what=7]");

    Object set = Map.of("items", Set.of("a"));
    assertThatThrownBy(() -> ValueTrees.copyJson(set, false, ValueTreesTest::refuse))
        .hasMessageContaining("NotJson[path=items, badKey=false, what=[a]]");
  }

  @Test
  void aFrozenCopyCannotBeChanged() {
    Object frozen = ValueTrees.copyJson(Map.of("a", List.of(1)), true, ValueTreesTest::refuse);
    assertThatThrownBy(() -> ValueTrees.map(frozen).put("b", 2))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ValueTrees.list(ValueTrees.map(frozen).get("a")).add(2))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void deepEqualityIgnoresKeyOrderAndLeavesScalarsToTheCaller() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("x", List.of(1L, "s"));
    a.put("y", null);
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("y", null);
    b.put("x", List.of(1L, "s"));
    assertThat(ValueTrees.deepEquals(a, b, Objects::equals)).isTrue();
    assertThat(ValueTrees.deepEquals(List.of(1), List.of(1.0), Objects::equals)).isFalse();
    assertThat(
            ValueTrees.deepEquals(
                List.of(1), List.of(1.0), (x, y) -> ((Number) x).doubleValue() == (double) y))
        .isTrue();
    assertThat(ValueTrees.deepEquals(Map.of(), List.of(), (x, y) -> true)).isFalse();
  }

  @Test
  void variablesMergeKeyByKeyAndNullDeletes() {
    Map<String, Object> base = Map.of("db", Map.of("host", "h", "port", 5432), "old", 1);
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("db", Map.of("port", 6543));
    patch.put("old", null);
    assertThat(ValueTrees.mergePatch(base, patch))
        .isEqualTo(Map.of("db", Map.of("host", "h", "port", 6543)));
  }

  @Test
  void aDottedPathSetsNestedMapsWithoutChangingTheirSources() {
    Map<String, Object> inner = new LinkedHashMap<>(Map.of("b", 1));
    Map<String, Object> tree = new LinkedHashMap<>(Map.of("a", inner));
    ValueTrees.setPath(tree, "a.c", "x");
    ValueTrees.setPath(tree, "d.e", true);
    assertThat(tree).isEqualTo(Map.of("a", Map.of("b", 1, "c", "x"), "d", Map.of("e", true)));
    assertThat(inner).isEqualTo(Map.of("b", 1));
  }

  @Test
  void messagesNameAValuesKindOrTheValueItself() {
    assertThat(ValueTrees.typeName(List.of())).isEqualTo("a list");
    assertThat(ValueTrees.typeName(3)).isEqualTo("a number");
    assertThat(ValueTrees.typeName(null)).isEqualTo("null");
    assertThat(ValueTrees.describe(Map.of())).isEqualTo("a map");
    assertThat(ValueTrees.describe("x")).isEqualTo("the string \"x\"");
    assertThat(ValueTrees.describe(3)).isEqualTo("the integer 3");
  }
}
