package dev.grove.actions.process;

import dev.grove.actions.spi.ActionException;
import dev.grove.api.value.ValueTrees;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the plain fields exec specs share, with an {@code INVALID_SPEC} naming the field. */
public final class SpecValues {

  private SpecValues() {}

  /** {@code spec.<field>} as a boolean: {@code true}/{@code false}, or those words as strings. */
  public static boolean flag(Map<String, Object> spec, String field, boolean absent, String action)
      throws ActionException {
    return new SpecReader(action).flag(spec.get(field), field, absent);
  }

  /** {@code spec.<field>} as a positive number of seconds. */
  public static Duration seconds(
      Map<String, Object> spec, String field, Duration absent, String action)
      throws ActionException {
    Object value = spec.get(field);
    if (value == null) {
      return absent;
    }
    if (value instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue())) {
      return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
    }
    throw new SpecReader(action)
        .invalid(
            field,
            value,
            "a positive number of seconds",
            "Set spec." + field + " to a number of seconds, such as 10.");
  }

  /**
   * {@code spec.env}: names to strings, numbers or booleans, given to the command as strings. A
   * null value is an empty string.
   */
  public static Map<String, String> env(Map<String, Object> spec, String action)
      throws ActionException {
    Object value = spec.get("env");
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> entries)) {
      throw new SpecReader(action)
          .invalid(
              "env",
              value,
              "a map of names to values",
              "Write spec.env as a map, such as {NODE_ENV: production}.");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : entries.entrySet()) {
      String name = String.valueOf(entry.getKey());
      Object item = entry.getValue();
      if (item != null && !ValueTrees.isScalar(item)) {
        throw new SpecReader(action)
            .invalid(
                "env." + name,
                item,
                "a string, number or boolean",
                "Give spec.env." + name + " a plain value; use ${jsonEncode(...)} for structures.");
      }
      env.put(name, item == null ? "" : stringOf(item));
    }
    return env;
  }

  /** A scalar as a command sees it: {@code 8080}, not {@code 8080.0}. */
  public static String stringOf(Object scalar) {
    if (scalar instanceof Double || scalar instanceof Float) {
      double d = ((Number) scalar).doubleValue();
      if (Double.isFinite(d)) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
      }
    }
    return String.valueOf(scalar);
  }
}
