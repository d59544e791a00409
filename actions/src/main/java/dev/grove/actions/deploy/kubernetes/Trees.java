package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.process.SpecValues;
import dev.grove.actions.spi.ActionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep copies of JSON-shaped values (maps with string keys, lists, strings, numbers, booleans,
 * null), keeping key order. The pipeline works on its own copies, so neither the spec nor what a
 * templater returns is ever changed.
 */
final class Trees {

  private Trees() {}

  /** A deep copy that cannot be changed. */
  static Object frozen(Object value, String where) throws ActionException {
    return copy(value, true, where, "");
  }

  /** A deep copy of an object that cannot be changed. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> frozenMap(Object value, String where) throws ActionException {
    return (Map<String, Object>) copy(value, true, where, "");
  }

  /** A deep copy into LinkedHashMap and ArrayList, to be changed. */
  static Object mutable(Object value, String where) throws ActionException {
    return copy(value, false, where, "");
  }

  private static Object copy(Object value, boolean frozen, String where, String path)
      throws ActionException {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw notJson(where, path, "has the key " + e.getKey() + ", which is not a string");
        }
        copy.put(key, copy(e.getValue(), frozen, where, path.isEmpty() ? key : path + "." + key));
      }
      return frozen ? Collections.unmodifiableMap(copy) : copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(copy(list.get(i), frozen, where, path + "[" + i + "]"));
      }
      return frozen ? Collections.unmodifiableList(copy) : copy;
    }
    throw notJson(
        where,
        path,
        "is " + SpecValues.describe(value) + " (" + value.getClass().getSimpleName() + ")");
  }

  private static ActionException notJson(String where, String path, String what) {
    return new ActionException(
        ActionException.INVALID_SPEC,
        where
            + (path.isEmpty() ? "" : " at " + path)
            + " "
            + what
            + "; a manifest holds JSON values.",
        "Write the value as a string, number, boolean, list or map.");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return (List<Object>) value;
  }
}
