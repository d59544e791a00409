package dev.grove.orchestrator.template;

import dev.grove.api.value.ValueTrees;
import dev.grove.orchestrator.error.Suggestions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** JavaScript-like value semantics over Map / List / String / Long / Double / Boolean / null. */
final class Values {
  private Values() {}

  /** Integer-like numbers become Long and other numbers Double, recursively for collections. */
  static Object normalize(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
    }
    if (value instanceof Float || value instanceof BigDecimal) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), normalize(v)));
      return out;
    }
    if (value instanceof Collection<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(normalize(v)));
      return out;
    }
    return value;
  }

  static boolean isIntegral(Object value) {
    return value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger;
  }

  static boolean isPrimitive(Object value) {
    return value == null || ValueTrees.isScalar(value);
  }

  static boolean truthy(Object value) {
    if (value == null || value instanceof Evaluator.Missing) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String str) {
      return !str.isEmpty();
    }
    if (value instanceof Number num) {
      double d = num.doubleValue();
      return d != 0 && !Double.isNaN(d);
    }
    return true;
  }

  /** The JavaScript {@code typeof} name. */
  static String typeOf(Object value) {
    if (value instanceof Evaluator.Missing) {
      return "undefined";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Number) {
      return "number";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    return "object";
  }

  /** A name for error messages, telling lists and null apart from objects. */
  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof List) {
      return "array";
    }
    if (value instanceof Map) {
      return "object";
    }
    return typeOf(value);
  }

  static boolean deepEquals(Object a, Object b) {
    return ValueTrees.deepEquals(a, b, Values::sameScalar);
  }

  /** Numbers by value (whole numbers exactly), other scalars by {@code equals}. */
  private static boolean sameScalar(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      if (isIntegral(x) && isIntegral(y)) {
        return x.longValue() == y.longValue();
      }
      return x.doubleValue() == y.doubleValue();
    }
    return Objects.equals(a, b);
  }

  /** The plain text of a scalar, as JavaScript prints it: 1, 2.5, true, null. */
  static String text(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String str) {
      return str;
    }
    if (value instanceof Double || value instanceof Float) {
      return number(((Number) value).doubleValue());
    }
    return String.valueOf(value);
  }

  static String number(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      return new BigDecimal(d).toPlainString();
    }
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** The closest candidate within a small edit distance, or null. */
  static String closest(String wanted, Collection<String> candidates) {
    return Suggestions.closest(wanted, candidates).orElse(null);
  }
}
