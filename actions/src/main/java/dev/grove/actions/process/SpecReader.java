package dev.grove.actions.process;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.value.ValueTrees;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads typed values out of a resolved spec, each error an {@code INVALID_SPEC} that names the
 * action and the property ({@code deploy.web: spec.ports[0].containerPort is ...}).
 */
public final class SpecReader {
  private final String action;

  public SpecReader(String action) {
    this.action = action;
  }

  /** The action ref errors name, e.g. {@code deploy.api}. */
  public String action() {
    return action;
  }

  /** File paths relative to the action's folder: strings, null items dropped. */
  public List<String> paths(Object value, String path) throws ActionException {
    List<?> items = list(value, path, "[manifests/deployment.yml]");
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (item == null) {
        continue;
      }
      if (!(item instanceof String text) || text.isBlank()) {
        throw invalid(
            path + "[" + i + "]",
            item,
            "a file path",
            "List paths relative to the action's folder, such as [manifests/deployment.yml].");
      }
      paths.add(text);
    }
    return paths;
  }

  public ActionException invalid(String path, Object value, String expected, String suggestion) {
    return new ActionException(
        ActionCodes.INVALID_SPEC,
        action
            + ": spec."
            + path
            + " is "
            + ValueTrees.describe(value)
            + "; it must be "
            + expected
            + ".",
        suggestion);
  }

  public ActionException problem(String path, String what, String suggestion) {
    return new ActionException(
        ActionCodes.INVALID_SPEC, action + ": spec." + path + " " + what + ".", suggestion);
  }

  public ActionException missing(String path, String needed, String suggestion) {
    return problem(path, "is missing; " + needed, suggestion);
  }

  /** An object; empty when absent. */
  public Map<String, Object> object(Object value, String path, String example)
      throws ActionException {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw invalid(path, value, "a map", "Write spec." + path + " as a map, such as " + example);
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(String.valueOf(k), v));
    return copy;
  }

  /** A list; empty when absent. */
  public List<?> list(Object value, String path, String example) throws ActionException {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw invalid(path, value, "a list", "Write spec." + path + " as a list, such as " + example);
    }
    return list;
  }

  /** Rejects keys that the object may not have. */
  public void onlyKeys(Map<String, Object> object, String path, Set<String> allowed)
      throws ActionException {
    for (String key : object.keySet()) {
      if (!allowed.contains(key)) {
        throw problem(
            path + "." + key,
            "is not a field Grove knows",
            "Remove it; spec." + path + " may have " + String.join(", ", sorted(allowed)) + ".");
      }
    }
  }

  /** A string; empty when absent or blank. */
  public Optional<String> string(Object value, String path, String example) throws ActionException {
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text)) {
      throw invalid(
          path, value, "a string", "Set spec." + path + " to a string, such as " + example);
    }
    return text.isBlank() ? Optional.empty() : Optional.of(text);
  }

  /** A list of strings (numbers and booleans written as text; null items dropped). */
  public List<String> strings(Object value, String path, String example) throws ActionException {
    List<?> items = list(value, path, example);
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (item == null) {
        continue;
      }
      if (!ValueTrees.isScalar(item)) {
        throw invalid(
            path + "[" + i + "]",
            item,
            "a string",
            "Write spec." + path + " as a list of strings, such as " + example);
      }
      strings.add(SpecValues.stringOf(item));
    }
    return List.copyOf(strings);
  }

  /** {@code true}/{@code false}, or those words as strings. */
  public boolean flag(Object value, String path, boolean absent) throws ActionException {
    if (value == null) {
      return absent;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.parseBoolean((String) value);
    }
    throw invalid(path, value, "true or false", "Set spec." + path + " to true or false.");
  }

  /** A whole number from {@code min} to {@code max} (digits in a string count); empty if absent. */
  public OptionalInt integer(Object value, String path, int min, int max, String example)
      throws ActionException {
    if (value == null) {
      return OptionalInt.empty();
    }
    BigDecimal number = null;
    if (value instanceof Number n) {
      if (Double.isFinite(n.doubleValue())) {
        number = new BigDecimal(n.toString());
      }
    } else if (value instanceof String s && s.strip().matches("-?[0-9]+")) {
      number = new BigDecimal(s.strip());
    }
    String range = max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
    if (number == null
        || number.stripTrailingZeros().scale() > 0
        || number.compareTo(BigDecimal.valueOf(min)) < 0
        || number.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw invalid(
          path,
          value,
          "a whole number " + range,
          "Set spec." + path + " to a whole number " + range + ", such as " + example + ".");
    }
    return OptionalInt.of(number.intValueExact());
  }

  /** Names to strings (numbers and booleans written as text); empty when absent. */
  public Map<String, String> stringMap(Object value, String path, String example)
      throws ActionException {
    Map<String, Object> entries = object(value, path, example);
    Map<String, String> strings = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : entries.entrySet()) {
      Object item = entry.getValue();
      if (!ValueTrees.isScalar(item)) {
        throw invalid(
            path + "." + entry.getKey(),
            item,
            "a string",
            "Give spec." + path + "." + entry.getKey() + " a string value.");
      }
      strings.put(entry.getKey(), SpecValues.stringOf(item));
    }
    return strings;
  }

  private static List<String> sorted(Set<String> names) {
    List<String> list = new ArrayList<>(names);
    list.sort(null);
    return list;
  }
}
