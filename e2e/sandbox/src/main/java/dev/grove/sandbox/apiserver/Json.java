package dev.grove.sandbox.apiserver;

import dev.grove.api.value.ValueTrees;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** The plain JSON values (maps, lists, scalars) the mock server works on, and their text. */
final class Json {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Json() {}

  /** A JSON object; throws an unchecked exception when the text is not one. */
  static Map<String, Object> parse(String json) {
    return object(parseValue(json), json);
  }

  /**
   * A YAML (1.2, core schema) or JSON object, as server-side apply takes it: fabric8's parser takes
   * any text that starts with a brace for JSON, and YAML flow style starts with one too.
   */
  static Map<String, Object> parseYaml(String yaml) {
    Load load = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build());
    return object(copy(load.loadFromString(yaml)), yaml);
  }

  private static Map<String, Object> object(Object value, String text) {
    if (value instanceof Map<?, ?>) {
      return map(value);
    }
    throw new IllegalArgumentException("not an object: " + text);
  }

  static Object parseValue(String text) {
    return SERIALIZATION.unmarshal(text, Object.class);
  }

  static String write(Object value) {
    return SERIALIZATION.asJson(value);
  }

  static Map<String, Object> map(Object value) {
    return ValueTrees.map(value);
  }

  static List<Object> list(Object value) {
    return ValueTrees.list(value);
  }

  /** The object under {@code key}, created empty when missing or not an object. */
  static Map<String, Object> child(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    if (value instanceof Map<?, ?>) {
      return map(value);
    }
    Map<String, Object> created = new LinkedHashMap<>();
    parent.put(key, created);
    return created;
  }

  /** The value at a path of object keys, or null. */
  static Object at(Map<String, Object> object, String... keys) {
    Object value = object;
    for (String key : keys) {
      if (!(value instanceof Map<?, ?> m)) {
        return null;
      }
      value = m.get(key);
    }
    return value;
  }

  /** A deep copy into LinkedHashMap / ArrayList. */
  static Object copy(Object value) {
    return ValueTrees.copy(value);
  }

  static Map<String, Object> copyMap(Map<String, Object> value) {
    return map(copy(value));
  }

  /** A deep copy without null values (which mean nothing in an applied configuration). */
  static Object withoutNulls(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach(
          (k, v) -> {
            if (v != null) {
              copy.put(String.valueOf(k), withoutNulls(v));
            }
          });
      return copy;
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      l.forEach(v -> copy.add(withoutNulls(v)));
      return copy;
    }
    return value;
  }

  /** Structural equality, numbers by value (JSON does not know 2 from 2.0 or int from long). */
  static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      return x.size() == y.size()
          && x.entrySet().stream()
              .allMatch(e -> y.containsKey(e.getKey()) && same(e.getValue(), y.get(e.getKey())));
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }
}
