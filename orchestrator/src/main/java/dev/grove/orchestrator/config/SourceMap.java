package dev.grove.orchestrator.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each value of a YAML document was written: property path ({@code spec.ports[0].name}) to
 * 1-based line and column. Paths that were not written (defaults) fall back to their nearest
 * written parent.
 */
public final class SourceMap {
  private final Map<String, int[]> positions = new HashMap<>();

  /** A map of given positions, for documents made from another (a converted Module's actions). */
  public static SourceMap of(Map<String, int[]> positions) {
    SourceMap map = new SourceMap();
    positions.forEach((path, at) -> map.put(path, at[0], at[1]));
    return map;
  }

  void put(String path, int line, int column) {
    positions.putIfAbsent(path, new int[] {line, column});
  }

  /** Line and column of the path, or of its nearest written parent; {0, 0} if none. */
  public int[] find(String path) {
    String current = path;
    while (true) {
      int[] position = positions.get(current);
      if (position != null) {
        return position;
      }
      if (current.isEmpty()) {
        return new int[] {0, 0};
      }
      current = parent(current);
    }
  }

  /**
   * The positions of the values under {@code prefix}, their paths relative to it: a template's
   * config as the document it renders. Paths it does not have fall back to {@code prefix}'s own.
   */
  SourceMap under(String prefix) {
    SourceMap out = new SourceMap();
    out.positions.put("", find(prefix));
    String nested = prefix + ".";
    for (Map.Entry<String, int[]> entry : positions.entrySet()) {
      if (entry.getKey().startsWith(nested)) {
        out.positions.put(entry.getKey().substring(nested.length()), entry.getValue());
      }
    }
    return out;
  }

  static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? "" : path.substring(0, cut);
  }

  /** Joins a path and a key or index: {@code spec} + {@code ports} + {@code 0}. */
  public static String child(String path, Object key) {
    if (key instanceof Integer index) {
      return path + "[" + index + "]";
    }
    return path.isEmpty() ? key.toString() : path + "." + key;
  }

  /** The path of a list of keys and indices. */
  public static String pathOf(String base, List<Object> keys) {
    String path = base;
    for (Object key : keys) {
      path = child(path, key);
    }
    return path;
  }
}
