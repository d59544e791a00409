package dev.grove.api.value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The plain value trees that configs, specs and manifests are made of: {@code Map<String,Object>}
 * (key order kept), {@code List<Object>}, String, Number, Boolean and null. Typed views, deep
 * copies, structural equality, paths and names for messages; what a value means (template
 * semantics, kubectl's number equality, a spec field's rules) stays with its user.
 */
public final class ValueTrees {
  private ValueTrees() {}

  /** A map of the tree as one (the caller checked that it is one). */
  @SuppressWarnings("unchecked") // value trees only hold String keys
  public static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  /** A list of the tree as one (the caller checked that it is one). */
  @SuppressWarnings("unchecked")
  public static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  /** A string, number or boolean. */
  public static boolean isScalar(Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean;
  }

  /**
   * A deep copy into LinkedHashMap and ArrayList, keys as their strings; anything else is kept as
   * it is. Copies never alias the caller's maps and lists.
   */
  public static Object copy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(copy(v)));
      return out;
    }
    return value;
  }

  /**
   * What a tree holds that JSON cannot.
   *
   * @param path where ({@code spec.ports[0]}; empty for the whole tree)
   * @param badKey true when {@code what} is a map key that is not a string, false when it is a
   *     value that is no JSON value
   */
  public record NotJson(String path, boolean badKey, Object what) {}

  /**
   * A deep copy into LinkedHashMap and ArrayList (unmodifiable ones when {@code frozen}) that
   * refuses what JSON cannot hold, with the exception {@code refuse} makes of the first such place.
   */
  public static <E extends Exception> Object copyJson(
      Object value, boolean frozen, Function<NotJson, E> refuse) throws E {
    return copyJson(value, frozen, refuse, "");
  }

  private static <E extends Exception> Object copyJson(
      Object value, boolean frozen, Function<NotJson, E> refuse, String path) throws E {
    if (value == null || isScalar(value)) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw refuse.apply(new NotJson(path, true, e.getKey()));
        }
        copy.put(key, copyJson(e.getValue(), frozen, refuse, child(path, key)));
      }
      return frozen ? Collections.unmodifiableMap(copy) : copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(copyJson(list.get(i), frozen, refuse, path + "[" + i + "]"));
      }
      return frozen ? Collections.unmodifiableList(copy) : copy;
    }
    throw refuse.apply(new NotJson(path, false, value));
  }

  /** The path of a map's key below {@code path}: {@code spec.env}, or {@code env} at the top. */
  public static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /**
   * Structural equality: maps by their entries (in any order), lists item by item, a map or list
   * never equal to anything else, and scalars (null included) as {@code scalars} compares them.
   */
  public static boolean deepEquals(Object a, Object b, BiPredicate<Object, Object> scalars) {
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()), scalars)) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!deepEquals(x.get(i), y.get(i), scalars)) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map || a instanceof List || b instanceof Map || b instanceof List) {
      return false;
    }
    return scalars.test(a, b);
  }

  /**
   * Merges {@code patch} onto {@code base} as Garden merges variables: maps merge key by key, a
   * null deletes the key, anything else replaces (a map replacing a non-map is kept as written).
   * Unlike RFC 7386 applied to a copy, the result shares the values it did not merge.
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
            out.put(key, mergePatch(map(baseMap), map(patchMap)));
          } else {
            out.put(key, value);
          }
        });
    return out;
  }

  /** Sets {@code a.b.c = value} in a nested map, copying or creating the maps on the way. */
  public static void setPath(Map<String, Object> map, String dottedKey, Object value) {
    String[] parts = dottedKey.split("\\.");
    Map<String, Object> current = map;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = current.get(parts[i]);
      Map<String, Object> child;
      if (next instanceof Map<?, ?> existing) {
        child = new LinkedHashMap<>(map(existing));
      } else {
        child = new LinkedHashMap<>();
      }
      current.put(parts[i], child);
      current = child;
    }
    current.put(parts[parts.length - 1], value);
  }

  /** A value's kind for messages: {@code a map}, {@code a list}, {@code a string}, {@code null}. */
  public static String typeName(Object value) {
    if (value == null || value instanceof Map<?, ?> || value instanceof List<?>) {
      return shape(value);
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

  /**
   * A value as messages name it, scalars with their value: {@code the string "x"}, {@code the
   * integer 3}, {@code a map}.
   */
  public static String describe(Object value) {
    if (value == null || value instanceof Map<?, ?> || value instanceof List<?>) {
      return shape(value);
    }
    if (value instanceof String) {
      return "the string \"" + value + "\"";
    }
    return "the "
        + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
        + " "
        + value;
  }

  private static String shape(Object value) {
    return value == null ? "null" : value instanceof Map<?, ?> ? "a map" : "a list";
  }
}
