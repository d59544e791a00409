package dev.grove.actions.kube.patch;

import dev.grove.api.value.ValueTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** YAML 1.2 (core schema) into the plain structures the engines take, as Grove's loader gives. */
final class Yaml {

  private Yaml() {}

  static Object value(String yaml) {
    return load().loadFromString(yaml);
  }

  static Map<String, Object> map(String yaml) {
    return ValueTrees.map(value(yaml));
  }

  static List<Object> list(String yaml) {
    return ValueTrees.list(value(yaml));
  }

  static List<Object> documents(String yaml) {
    List<Object> docs = new ArrayList<>();
    load().loadAllFromString(yaml).forEach(docs::add);
    return docs;
  }

  private static Load load() {
    return new Load(LoadSettings.builder().setSchema(new CoreSchema()).build());
  }
}
