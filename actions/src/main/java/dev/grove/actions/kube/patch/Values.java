package dev.grove.actions.kube.patch;

import dev.grove.api.value.ValueTrees;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * What the patch engines add to {@link ValueTrees}: copies that fail as a {@link PatchException},
 * and scalar equality as kubectl compares decoded JSON. Every engine works on a deep copy, so
 * callers' structures are never changed and results share nothing with their inputs.
 */
final class Values {

  private Values() {}

  /** A deep copy into LinkedHashMap / ArrayList, refusing anything JSON cannot hold. */
  static Object copy(Object value) throws PatchException {
    return ValueTrees.copyJson(
        value,
        false,
        notJson ->
            notJson.badKey()
                ? new PatchException(
                    notJson.path(),
                    "the key " + notJson.what() + " is not a string",
                    "Quote the key in the YAML so it is a string")
                : new PatchException(
                    notJson.path(),
                    "a " + notJson.what().getClass().getSimpleName() + " is not a JSON value",
                    "Quote the value in the YAML so it is a string"));
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
    return ValueTrees.deepEquals(a, b, Values::same);
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
