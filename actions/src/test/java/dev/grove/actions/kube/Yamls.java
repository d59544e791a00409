package dev.grove.actions.kube;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Specs written as YAML in tests, fixtures read as structures, and paths into them. */
public final class Yamls {

  private Yamls() {}

  /** One YAML document as a map ({@code ""} is an empty map). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(String yaml) {
    Object value = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  /** Every document of a classpath resource. */
  public static List<Object> resource(String name) throws IOException {
    try (InputStream in = Yamls.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("no resource " + name);
      }
      List<Object> documents = new ArrayList<>();
      new Load(LoadSettings.builder().build())
          .loadAllFromString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .forEach(documents::add);
      return documents;
    }
  }

  /**
   * The value at a path of keys and list indexes, such as {@code
   * spec.template.spec.containers[0].name} (keys with dots cannot be named; take their map). Null
   * when a key is missing.
   */
  public static Object at(Object root, String path) {
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
        if (!(current instanceof List<?> list)) {
          throw new AssertionError(path + ": " + key + " is not a list but " + current);
        }
        current = list.get(index);
      }
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> mapAt(Object root, String path) {
    return (Map<String, Object>) at(root, path);
  }

  @SuppressWarnings("unchecked")
  public static List<Object> listAt(Object root, String path) {
    return (List<Object>) at(root, path);
  }
}
