package dev.grove.orchestrator.config.modules;

import dev.grove.orchestrator.config.ConfigDocument;
import dev.grove.orchestrator.config.SourceMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One action document made from a Module document: it keeps the Module's file and document index,
 * and each property it copies keeps the line it was written at, so errors about the action name the
 * Module's lines.
 */
final class ActionDocument {
  private final ConfigDocument module;
  private final UnaryOperator<String> templates;
  private final Map<String, Object> content = new LinkedHashMap<>();
  private final Map<String, int[]> positions = new HashMap<>();

  /**
   * @param from where in the Module this action comes from (a service, task or test, or {@code ""})
   * @param templates rewrites the Module's template strings for an action's context
   */
  ActionDocument(
      ConfigDocument module,
      String kind,
      String type,
      UnaryOperator<String> templates,
      String from) {
    this.module = module;
    this.templates = templates;
    positions.put("", module.locations().find(from));
    content.put("kind", kind);
    content.put("type", type);
  }

  /** Sets {@code key} to a value the conversion made; errors about it point at {@code from}. */
  ActionDocument set(String key, Object value, String from) {
    if (value != null) {
      content.put(key, copy(value, key, from));
    }
    return this;
  }

  /** Copies the Module's value at {@code from} (when it has one) to {@code key}. */
  ActionDocument copy(String key, Map<String, Object> source, String sourceKey, String from) {
    return set(key, source.get(sourceKey), from);
  }

  Map<String, Object> content() {
    return content;
  }

  ConfigDocument build() {
    return new ConfigDocument(
        module.file(), module.displayFile(), module.index(), content, SourceMap.of(positions));
  }

  /** A copy of a value with its templates rewritten, recording where each part was written. */
  private Object copy(Object value, String path, String from) {
    positions.put(path, module.locations().find(from));
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) ->
              out.put(
                  k.toString(),
                  copy(
                      v,
                      SourceMap.child(path, k.toString()),
                      SourceMap.child(from, k.toString()))));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        out.add(copy(list.get(i), SourceMap.child(path, i), SourceMap.child(from, i)));
      }
      return out;
    }
    return value instanceof String text && text.contains("${") ? templates.apply(text) : value;
  }
}
