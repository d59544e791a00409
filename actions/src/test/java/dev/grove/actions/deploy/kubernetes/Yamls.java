package dev.grove.actions.deploy.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Specs written as YAML in tests, and paths into rendered objects. */
final class Yamls {

  private Yamls() {}

  /** One YAML document as a map ({@code ""} is an empty map). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(String yaml) {
    Object value = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  /**
   * The value at a path of keys and list indexes, such as {@code
   * spec.template.spec.containers[0].name}. Null when a key is missing.
   */
  static Object at(Object root, String path) {
    Object current = root;
    for (String step : path.split("\\.")) {
      String key = step;
      List<Integer> indexes = new ArrayList<>();
      int bracket = step.indexOf('[');
      if (bracket >= 0) {
        key = step.substring(0, bracket);
        for (String index : step.substring(bracket + 1, step.length() - 1).split("\\]\\[")) {
          indexes.add(Integer.parseInt(index));
        }
      }
      if (!(current instanceof Map<?, ?> map)) {
        throw new AssertionError(path + ": " + key + " is not in a map but in " + current);
      }
      current = map.get(key);
      for (int index : indexes) {
        current = ((List<?>) current).get(index);
      }
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> mapAt(Object root, String path) {
    return (Map<String, Object>) at(root, path);
  }
}
