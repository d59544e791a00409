package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.spi.ActionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the orchestrator's templater: replaces {@code ${key}} with a value (a string that
 * is exactly one {@code ${key}} keeps the value's type) and records each call as {@code
 * file#index}.
 */
final class VarTemplater implements ManifestTemplater {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]+)}");

  private final Map<String, Object> values;
  final List<String> calls = new ArrayList<>();

  VarTemplater(Map<String, Object> values) {
    this.values = values;
  }

  @Override
  public Object resolve(Object document, String file, int documentIndex) throws ActionException {
    calls.add(file + "#" + documentIndex);
    return walk(document, file, documentIndex);
  }

  private Object walk(Object value, String file, int index) throws ActionException {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        copy.put((String) e.getKey(), walk(e.getValue(), file, index));
      }
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      for (Object item : list) {
        copy.add(walk(item, file, index));
      }
      return copy;
    }
    if (!(value instanceof String text)) {
      return value;
    }
    Matcher whole = REFERENCE.matcher(text);
    if (whole.matches()) {
      return lookup(whole.group(1), file, index);
    }
    StringBuilder out = new StringBuilder();
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      m.appendReplacement(
          out, Matcher.quoteReplacement(String.valueOf(lookup(m.group(1), file, index))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private Object lookup(String key, String file, int index) throws ActionException {
    if (!values.containsKey(key)) {
      throw new ActionException(
          "TEMPLATE_ERROR",
          file + " document " + (index + 1) + ": ${" + key + "} has no value.",
          "Set it.");
    }
    return values.get(key);
  }
}
