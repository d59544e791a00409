package dev.grove.orchestrator.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A ConfigTemplate's {@code inputsSchemaPath}: the JSON Schema (draft 7 keywords) that a
 * RenderTemplate's {@code inputs} must match. Validates as Garden's AJV does ({@code allErrors},
 * {@code useDefaults}): every violation is reported, and a missing property with a {@code default}
 * takes it. Keywords Grove does not check ({@code format}, {@code if/then}, ...) are accepted and
 * ignored, as AJV's non-strict mode ignores unknown ones.
 */
final class InputsSchema {

  /**
   * One way the inputs break the schema.
   *
   * @param inputPath where in the inputs ({@code inputs.ports[0]})
   * @param rule the schema keyword with where it is in the schema ({@code properties.port.type})
   * @param message what is wrong, in words
   */
  record Violation(String inputPath, String rule, String message) {}

  private final Map<String, Object> root;

  InputsSchema(Map<String, Object> root) {
    this.root = root;
  }

  /** The schema's top-level {@code type}, which Garden requires to be {@code object}. */
  Object type() {
    return root.get("type");
  }

  /** Checks the inputs, filling defaults into them; the violations in document order. */
  List<Violation> validate(Map<String, Object> inputs) {
    List<Violation> out = new ArrayList<>();
    check(inputs, root, "inputs", "", out);
    return out;
  }

  private void check(
      Object value, Object schemaNode, String at, String rulePath, List<Violation> out) {
    if (!(schemaNode instanceof Map<?, ?> schema)) {
      if (Boolean.FALSE.equals(schemaNode)) {
        out.add(new Violation(at, rulePath, "is not allowed here"));
      }
      return;
    }
    if (schema.get("$ref") instanceof String ref) {
      Object target = resolveRef(ref);
      if (target == null) {
        out.add(new Violation(at, child(rulePath, "$ref"), "refers to " + ref + ", not found"));
      } else {
        check(value, target, at, ref.substring(1), out);
      }
    }
    Object type = schema.get("type");
    if (type != null && !matchesType(value, type)) {
      out.add(
          new Violation(
              at, child(rulePath, "type"), "must be " + typeWords(type) + ", got " + kind(value)));
      return; // the other keywords of a wrong type only add noise
    }
    if (schema.get("enum") instanceof List<?> allowed && !containsJson(allowed, value)) {
      out.add(
          new Violation(
              at, child(rulePath, "enum"), "must be one of " + allowed + ", got " + show(value)));
    }
    if (schema.containsKey("const") && !jsonEquals(schema.get("const"), value)) {
      out.add(
          new Violation(
              at,
              child(rulePath, "const"),
              "must be " + show(schema.get("const")) + ", got " + show(value)));
    }
    if (value instanceof Map<?, ?> map) {
      checkObject(map, schema, at, rulePath, out);
    } else if (value instanceof List<?> list) {
      checkArray(list, schema, at, rulePath, out);
    } else if (value instanceof String text) {
      checkString(text, schema, at, rulePath, out);
    } else if (value instanceof Number number) {
      checkNumber(number.doubleValue(), schema, at, rulePath, out);
    }
    combinators(value, schema, at, rulePath, out);
  }

  @SuppressWarnings("unchecked")
  private void checkObject(
      Map<?, ?> map, Map<?, ?> schema, String at, String rulePath, List<Violation> out) {
    Map<String, Object> properties =
        schema.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
    for (Map.Entry<String, Object> property : properties.entrySet()) {
      if (!map.containsKey(property.getKey())
          && property.getValue() instanceof Map<?, ?> propertySchema
          && propertySchema.containsKey("default")) {
        ((Map<String, Object>) map)
            .put(
                property.getKey(),
                dev.grove.api.value.ValueTrees.copy(propertySchema.get("default")));
      }
    }
    if (schema.get("required") instanceof List<?> required) {
      for (Object name : required) {
        if (!map.containsKey(String.valueOf(name))) {
          out.add(
              new Violation(
                  at,
                  child(rulePath, "required"),
                  "must have the property `" + name + "`, which is required"));
        }
      }
    }
    Object additional = schema.get("additionalProperties");
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      String childAt = SourceMap.child(at, key);
      if (properties.containsKey(key)) {
        check(
            entry.getValue(),
            properties.get(key),
            childAt,
            child(rulePath, "properties." + key),
            out);
      } else if (Boolean.FALSE.equals(additional)) {
        out.add(
            new Violation(
                childAt,
                child(rulePath, "additionalProperties"),
                "is not an input the template declares"
                    + (properties.isEmpty()
                        ? ""
                        : " (it declares: " + String.join(", ", properties.keySet()) + ")")));
      } else if (additional instanceof Map<?, ?>) {
        check(entry.getValue(), additional, childAt, child(rulePath, "additionalProperties"), out);
      }
    }
    bound(map.size(), schema, "minProperties", "maxProperties", "properties", at, rulePath, out);
  }

  private void checkArray(
      List<?> list, Map<?, ?> schema, String at, String rulePath, List<Violation> out) {
    Object items = schema.get("items");
    for (int i = 0; i < list.size(); i++) {
      if (items instanceof Map<?, ?>) {
        check(list.get(i), items, SourceMap.child(at, i), child(rulePath, "items"), out);
      } else if (items instanceof List<?> tuple && i < tuple.size()) {
        check(
            list.get(i),
            tuple.get(i),
            SourceMap.child(at, i),
            child(rulePath, "items[" + i + "]"),
            out);
      }
    }
    bound(list.size(), schema, "minItems", "maxItems", "items", at, rulePath, out);
    if (Boolean.TRUE.equals(schema.get("uniqueItems"))) {
      for (int i = 0; i < list.size(); i++) {
        for (int j = 0; j < i; j++) {
          if (jsonEquals(list.get(i), list.get(j))) {
            out.add(
                new Violation(
                    at,
                    child(rulePath, "uniqueItems"),
                    "must not have duplicate items (items " + j + " and " + i + " are equal)"));
            return;
          }
        }
      }
    }
  }

  private static void checkString(
      String text, Map<?, ?> schema, String at, String rulePath, List<Violation> out) {
    bound(
        text.codePointCount(0, text.length()),
        schema,
        "minLength",
        "maxLength",
        "characters",
        at,
        rulePath,
        out);
    if (schema.get("pattern") instanceof String pattern) {
      try {
        if (!Pattern.compile(pattern).matcher(text).find()) {
          out.add(
              new Violation(
                  at,
                  child(rulePath, "pattern"),
                  "must match the pattern " + pattern + ", got " + show(text)));
        }
      } catch (PatternSyntaxException e) {
        out.add(
            new Violation(at, child(rulePath, "pattern"), "has an invalid pattern: " + pattern));
      }
    }
  }

  private static void checkNumber(
      double number, Map<?, ?> schema, String at, String rulePath, List<Violation> out) {
    limit(number, schema, "minimum", at, rulePath, out, number < num(schema.get("minimum")), ">=");
    limit(number, schema, "maximum", at, rulePath, out, number > num(schema.get("maximum")), "<=");
    limit(
        number,
        schema,
        "exclusiveMinimum",
        at,
        rulePath,
        out,
        number <= num(schema.get("exclusiveMinimum")),
        ">");
    limit(
        number,
        schema,
        "exclusiveMaximum",
        at,
        rulePath,
        out,
        number >= num(schema.get("exclusiveMaximum")),
        "<");
    if (schema.get("multipleOf") instanceof Number step && step.doubleValue() > 0) {
      double quotient = number / step.doubleValue();
      if (Math.abs(quotient - Math.rint(quotient)) > 1e-9) {
        out.add(
            new Violation(
                at, child(rulePath, "multipleOf"), "must be a multiple of " + show(step)));
      }
    }
  }

  private static void limit(
      double number,
      Map<?, ?> schema,
      String keyword,
      String at,
      String rulePath,
      List<Violation> out,
      boolean broken,
      String op) {
    if (schema.get(keyword) instanceof Number bound && broken) {
      out.add(
          new Violation(
              at,
              child(rulePath, keyword),
              "must be " + op + " " + show(bound) + ", got " + show(number)));
    }
  }

  private static double num(Object value) {
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static void bound(
      int size,
      Map<?, ?> schema,
      String minKey,
      String maxKey,
      String what,
      String at,
      String rulePath,
      List<Violation> out) {
    if (schema.get(minKey) instanceof Number min && size < min.longValue()) {
      out.add(
          new Violation(
              at,
              child(rulePath, minKey),
              "must have at least " + min + " " + what + ", has " + size));
    }
    if (schema.get(maxKey) instanceof Number max && size > max.longValue()) {
      out.add(
          new Violation(
              at,
              child(rulePath, maxKey),
              "must have at most " + max + " " + what + ", has " + size));
    }
  }

  private void combinators(
      Object value, Map<?, ?> schema, String at, String rulePath, List<Violation> out) {
    if (schema.get("allOf") instanceof List<?> all) {
      for (int i = 0; i < all.size(); i++) {
        check(value, all.get(i), at, child(rulePath, "allOf[" + i + "]"), out);
      }
    }
    for (String keyword : List.of("anyOf", "oneOf")) {
      if (schema.get(keyword) instanceof List<?> options) {
        int matching = 0;
        for (Object option : options) {
          if (matches(value, option)) {
            matching++;
          }
        }
        boolean ok = keyword.equals("anyOf") ? matching > 0 : matching == 1;
        if (!ok) {
          out.add(
              new Violation(
                  at,
                  child(rulePath, keyword),
                  keyword.equals("anyOf") || matching == 0
                      ? "must match one of the " + options.size() + " schemas in " + keyword
                      : "must match exactly one schema in oneOf, matches " + matching));
        }
      }
    }
    if (schema.containsKey("not") && matches(value, schema.get("not"))) {
      out.add(new Violation(at, child(rulePath, "not"), "must not match the schema in `not`"));
    }
  }

  private boolean matches(Object value, Object schema) {
    List<Violation> trial = new ArrayList<>();
    check(dev.grove.api.value.ValueTrees.copy(value), schema, "", "", trial);
    return trial.isEmpty();
  }

  private Object resolveRef(String ref) {
    if (!ref.startsWith("#")) {
      return null;
    }
    Object current = root;
    for (String part : ref.substring(1).split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      String key = part.replace("~1", "/").replace("~0", "~");
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  private static boolean matchesType(Object value, Object type) {
    if (type instanceof List<?> types) {
      return types.stream().anyMatch(t -> matchesType(value, t));
    }
    return switch (String.valueOf(type)) {
      case "object" -> value instanceof Map;
      case "array" -> value instanceof List;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "null" -> value == null;
      case "number" -> value instanceof Number;
      case "integer" ->
          value instanceof Long
              || value instanceof Integer
              || value instanceof Double d && d == Math.rint(d) && !d.isInfinite();
      default -> true;
    };
  }

  private static String typeWords(Object type) {
    if (type instanceof List<?> types) {
      return "one of " + types;
    }
    String name = String.valueOf(type);
    return (name.equals("object") || name.equals("array") || name.equals("integer") ? "an " : "a ")
        + name;
  }

  private static String kind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "an array";
    }
    if (value instanceof String) {
      return "the string " + show(value);
    }
    if (value instanceof Boolean) {
      return "the boolean " + value;
    }
    return "the number " + show(value);
  }

  private static String show(Object value) {
    if (value instanceof String text) {
      return "\"" + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + "\"";
    }
    if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      return Long.toString(d.longValue());
    }
    return String.valueOf(value);
  }

  private static boolean containsJson(List<?> values, Object value) {
    return values.stream().anyMatch(v -> jsonEquals(v, value));
  }

  private static boolean jsonEquals(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      return x.size() == y.size()
          && x.entrySet().stream()
              .allMatch(
                  e -> y.containsKey(e.getKey()) && jsonEquals(e.getValue(), y.get(e.getKey())));
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!jsonEquals(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  private static String child(String rulePath, String keyword) {
    return rulePath.isEmpty() ? keyword : rulePath + "." + keyword;
  }

  /** A copy of the inputs as mutable maps and lists, which {@link #validate} fills. */
  static Map<String, Object> mutableCopy(Map<String, Object> inputs) {
    return new LinkedHashMap<>(
        dev.grove.api.value.ValueTrees.map(dev.grove.api.value.ValueTrees.copy(inputs)));
  }
}
