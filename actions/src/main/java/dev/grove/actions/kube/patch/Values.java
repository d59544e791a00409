package dev.grove.actions.kube.patch;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON-shaped values the engines work on: {@code Map<String,Object>}, {@code List<Object>},
 * String, Number, Boolean and null. Every engine works on a deep copy, so callers' structures are
 * never changed and results share nothing with their inputs.
 */
final class Values {

  private Values() {}

  /** A deep copy into LinkedHashMap / ArrayList, refusing anything JSON cannot hold. */
  static Object copy(Object value, String path) throws PatchException {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Number) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new PatchException(
              path,
              "the key " + e.getKey() + " is not a string",
              "Quote the key in the YAML so it is a string");
        }
        copy.put(key, copy(e.getValue(), path.isEmpty() ? key : path + "." + key));
      }
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(copy(list.get(i), path + "[" + i + "]"));
      }
      return copy;
    }
    throw new PatchException(
        path,
        "a " + value.getClass().getSimpleName() + " is not a JSON value",
        "Quote the value in the YAML so it is a string");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  /**
   * Scalar equality as Go compares decoded JSON: numbers by value (kubectl decodes {@code 80} and
   * {@code 80.0} alike), everything else by {@code equals}.
   */
  static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return compareNumbers(x, y) == 0;
    }
    return a == null ? b == null : a.equals(b);
  }

  /** Structural equality; maps ignore key order, numbers compare by value. */
  static boolean deepEquals(Object a, Object b) {
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
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
        if (!deepEquals(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map || a instanceof List || b instanceof Map || b instanceof List) {
      return false;
    }
    return same(a, b);
  }

  private static int compareNumbers(Number x, Number y) {
    BigDecimal a = decimal(x);
    BigDecimal b = decimal(y);
    if (a == null || b == null) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    return a.compareTo(b);
  }

  /** Null for NaN and infinities, which BigDecimal cannot hold. */
  private static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }
    return BigDecimal.valueOf(n.longValue());
  }

  /** A short rendering of a value for error messages. */
  static String describe(Object value) {
    String s = String.valueOf(value);
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
