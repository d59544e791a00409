package dev.grove.orchestrator.config;

import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.TreeTemplates;
import dev.grove.api.error.ErrorCodes;
import dev.grove.orchestrator.template.TemplateException;
import dev.grove.orchestrator.template.TemplateResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Templates in {@code manifestTemplates} files, resolved inside the parsed YAML with the action's
 * context, so a multi-line or structured value keeps the YAML valid.
 *
 * <p>Garden substitutes into the raw text, so its users write {@code key: ${jsonEncode(var.obj)}}
 * to get an object. Here a value that is exactly {@code ${jsonEncode(X)}} resolves as {@code ${X}}
 * (a whole-value template keeps its type): the same object, without a JSON round trip. To keep the
 * JSON text as a string, write {@code ${string(jsonEncode(X))}}.
 */
public final class ManifestTemplates {
  private static final Pattern WHOLE_JSON_ENCODE =
      Pattern.compile("^\\$\\{\\s*jsonEncode\\((.*)\\)\\s*\\}$", Pattern.DOTALL);

  private ManifestTemplates() {}

  public static TreeTemplates of(TemplateResolver templates, Map<String, Object> context) {
    return (tree, where) -> {
      try {
        return templates.resolveTree(unwrapJsonEncode(tree), context);
      } catch (TemplateException e) {
        throw new ActionException(
            ErrorCodes.CONFIG_INVALID,
            where + (e.path().isEmpty() ? "" : " at " + describe(e.path())) + ": " + e.getMessage(),
            e.suggestion().isBlank()
                ? "Fix the template string; the action's variables and outputs are available."
                : e.suggestion());
      }
    };
  }

  static Object unwrapJsonEncode(Object tree) {
    if (tree instanceof String text) {
      Matcher m = WHOLE_JSON_ENCODE.matcher(text.trim());
      return m.matches() && balanced(m.group(1)) ? "${" + m.group(1) + "}" : text;
    }
    if (tree instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, unwrapJsonEncode(v)));
      return copy;
    }
    if (tree instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(unwrapJsonEncode(v)));
      return copy;
    }
    return tree;
  }

  /** {@code jsonEncode(a) + jsonEncode(b)} is not one call: its argument must be balanced. */
  private static boolean balanced(String argument) {
    int depth = 0;
    for (char c : argument.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth < 0) {
        return false;
      }
    }
    return depth == 0;
  }

  private static String describe(List<Object> path) {
    StringBuilder text = new StringBuilder();
    for (Object part : path) {
      if (part instanceof Integer index) {
        text.append('[').append(index).append(']');
      } else {
        text.append(text.length() == 0 ? "" : ".").append(part);
      }
    }
    return text.toString();
  }
}
