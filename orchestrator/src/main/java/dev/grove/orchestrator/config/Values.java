package dev.grove.orchestrator.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers over the plain value trees of config documents. */
public final class Values {
  private Values() {}

  /**
   * JSON Merge Patch (RFC 7386) of {@code patch} onto {@code base}: how Garden merges variables.
   */
  public static Map<String, Object> mergePatch(
      Map<String, Object> base, Map<String, Object> patch) {
    Map<String, Object> out = new LinkedHashMap<>(base);
    patch.forEach(
        (key, value) -> {
          if (value == null) {
            out.remove(key);
          } else if (value instanceof Map<?, ?> patchMap
              && out.get(key) instanceof Map<?, ?> baseMap) {
            out.put(key, mergePatch(asMap(baseMap), asMap(patchMap)));
          } else {
            out.put(key, value);
          }
        });
    return out;
  }

  @SuppressWarnings("unchecked") // config trees only hold String keys
  public static Map<String, Object> asMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** Sets {@code a.b.c = value} in a nested map, creating the maps on the way. */
  public static void setPath(Map<String, Object> map, String dottedKey, Object value) {
    String[] parts = dottedKey.split("\\.");
    Map<String, Object> current = map;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = current.get(parts[i]);
      Map<String, Object> child;
      if (next instanceof Map<?, ?> existing) {
        child = new LinkedHashMap<>(asMap(existing));
      } else {
        child = new LinkedHashMap<>();
      }
      current.put(parts[i], child);
      current = child;
    }
    current.put(parts[parts.length - 1], value);
  }

  /** A deep copy of a value tree, with every map and list mutable. */
  public static Object deepCopy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k.toString(), deepCopy(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(deepCopy(v)));
      return out;
    }
    return value;
  }

  /** A short name of a value's type for messages. */
  public static String typeName(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number) {
      return "a number";
    }
    return value.getClass().getSimpleName();
  }
}
