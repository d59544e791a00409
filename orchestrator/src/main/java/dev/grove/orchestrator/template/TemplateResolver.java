package dev.grove.orchestrator.template;

import dev.grove.api.value.ValueTrees;
import dev.grove.orchestrator.template.Ast.ArrayLit;
import dev.grove.orchestrator.template.Ast.Binary;
import dev.grove.orchestrator.template.Ast.Call;
import dev.grove.orchestrator.template.Ast.Expr;
import dev.grove.orchestrator.template.Ast.IfBlock;
import dev.grove.orchestrator.template.Ast.Literal;
import dev.grove.orchestrator.template.Ast.Lookup;
import dev.grove.orchestrator.template.Ast.Nested;
import dev.grove.orchestrator.template.Ast.Node;
import dev.grove.orchestrator.template.Ast.Segment;
import dev.grove.orchestrator.template.Ast.Template;
import dev.grove.orchestrator.template.Ast.Ternary;
import dev.grove.orchestrator.template.Ast.Unary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves Garden template strings and config trees. Thread-safe; each distinct string is parsed
 * once and the parse is cached.
 */
public final class TemplateResolver {
  private static final int CACHE_LIMIT = 50_000;
  private static final Set<String> STRUCTURAL =
      Set.of("$merge", "$concat", "$if", "$then", "$else", "$forEach", "$return", "$filter");

  /** A parse outcome: the template, or the syntax error to report each time it is used. */
  private record Parsed(Template template, TemplateParser.SyntaxError error) {}

  /** Marks a map key or list element that a false {@code $if} without {@code $else} removes. */
  private static final Object REMOVED = new Object();

  private final Map<String, Parsed> cache = new ConcurrentHashMap<>();

  public TemplateResolver() {}

  /** True when the text contains "${" that is not escaped as "$${". No parsing, no regex. */
  public static boolean hasTemplate(String text) {
    int from = 0;
    while (true) {
      int at = text.indexOf("${", from);
      if (at < 0) {
        return false;
      }
      if (at == 0 || text.charAt(at - 1) != '$') {
        return true;
      }
      from = at + 2;
    }
  }

  /**
   * Resolves one string. A string that is exactly one ${...} returns the expression's value keeping
   * its type; otherwise the parts are joined as a String.
   */
  public Object resolveString(String text, Map<String, Object> context) throws TemplateException {
    return resolveString(text, context, List.of(), new Budget());
  }

  /**
   * Resolves a config tree of Map / List / scalars into a new tree, applying $merge, $concat,
   * $if/$then/$else and $forEach/$return/$filter.
   */
  public Object resolveTree(Object tree, Map<String, Object> context) throws TemplateException {
    return resolveTree(tree, context, null);
  }

  /**
   * As {@link #resolveTree(Object, Map)}, what it builds counted against {@code load} (from {@link
   * Budget#forLoad()}) as well as against its own budget; null for none.
   */
  public Object resolveTree(Object tree, Map<String, Object> context, Budget load)
      throws TemplateException {
    Object out = resolve(tree, context, new ArrayList<>(), new Budget(load));
    return out == REMOVED ? null : out;
  }

  /**
   * Every static lookup path the tree's templates reference, stopping each path at its first
   * computed key. Strings that fail to parse are skipped; resolving reports them.
   */
  public Set<List<String>> references(Object tree) {
    Set<List<String>> out = new LinkedHashSet<>();
    collectReferences(tree, out);
    return Collections.unmodifiableSet(out);
  }

  // ---- strings ----

  private Object resolveString(
      String text, Map<String, Object> context, List<Object> path, Budget budget)
      throws TemplateException {
    if (text.indexOf("${") < 0) {
      return text;
    }
    Template template = parse(text, path);
    try {
      return new Evaluator(context, budget).evaluate(template);
    } catch (DeferredSignal deferred) {
      return text;
    } catch (EvalError e) {
      throw new TemplateException(e.getMessage(), text, path, e.suggestion());
    } catch (RuntimeException | StackOverflowError e) {
      throw new TemplateException(
          "Could not resolve the template: " + e,
          text,
          path,
          "Simplify the expression; this looks like a bug in Grove's template resolver.");
    }
  }

  Template parse(String text, List<Object> path) throws TemplateException {
    Parsed parsed = parsed(text);
    if (parsed.error() != null) {
      throw new TemplateException(
          "Invalid template string: " + parsed.error().getMessage(),
          text,
          path,
          parsed.error().suggestion);
    }
    return parsed.template();
  }

  private Parsed parsed(String text) {
    Parsed parsed = cache.get(text);
    if (parsed == null) {
      try {
        parsed = new Parsed(TemplateParser.parse(text), null);
      } catch (TemplateParser.SyntaxError e) {
        parsed = new Parsed(null, e);
      } catch (StackOverflowError e) {
        parsed =
            new Parsed(
                null,
                new TemplateParser.SyntaxError(
                    "The expression is nested too deeply", "Simplify the expression."));
      }
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear();
      }
      cache.put(text, parsed);
    }
    return parsed;
  }

  // ---- trees ----

  private Object resolve(Object node, Map<String, Object> context, List<Object> path, Budget budget)
      throws TemplateException {
    if (node instanceof String text) {
      return resolveString(text, context, path, budget);
    }
    if (node instanceof Map<?, ?> map) {
      if (map.containsKey("$if")) {
        return conditional(map, context, path, budget);
      }
      if (map.containsKey("$forEach")) {
        return forEach(map, context, path, budget);
      }
      return resolveMap(map, context, path, budget);
    }
    if (node instanceof List<?> list) {
      return resolveList(list, context, path, budget);
    }
    return Values.normalize(node);
  }

  private Map<String, Object> resolveMap(
      Map<?, ?> map, Map<String, Object> context, List<Object> path, Budget budget)
      throws TemplateException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      path.add(key);
      try {
        if (key.equals("$merge")) {
          Object merged = resolve(entry.getValue(), context, path, budget);
          if (merged instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
          } else if (isUnresolved(entry.getValue(), merged)) {
            out.put(key, merged);
          } else if (merged != null && merged != REMOVED) {
            throw structural(
                "$merge needs a map, got " + Values.describe(merged),
                entry.getValue(),
                path,
                "Point $merge at a map, e.g. $merge: ${var.commonLabels}.");
          }
        } else if (STRUCTURAL.contains(key) && !key.equals("$merge")) {
          throw structural(
              "The key " + key + " is not allowed here",
              entry.getValue(),
              path,
              structuralHint(key));
        } else {
          Object value = resolve(entry.getValue(), context, path, budget);
          if (value != REMOVED) {
            out.put(key, value);
          }
        }
      } finally {
        path.remove(path.size() - 1);
      }
    }
    return out;
  }

  private List<Object> resolveList(
      List<?> list, Map<String, Object> context, List<Object> path, Budget budget)
      throws TemplateException {
    List<Object> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      path.add(i);
      try {
        if (item instanceof Map<?, ?> map && map.containsKey("$concat")) {
          if (map.size() != 1) {
            throw structural(
                "A $concat element must have no other keys, found " + map.keySet(),
                item,
                path,
                "Put $concat alone in its list item: - $concat: ${var.extraItems}");
          }
          path.add("$concat");
          try {
            Object spliced = resolve(map.get("$concat"), context, path, budget);
            if (spliced instanceof List<?> more) {
              if ((long) out.size() + more.size() > Limits.MAX_ITEMS) {
                throw structural(
                    "$concat would make a list of "
                        + ((long) out.size() + more.size())
                        + " items, "
                        + Limits.ITEMS_LIMIT,
                    map.get("$concat"),
                    path,
                    Limits.SUGGESTION);
              }
              out.addAll(more);
            } else if (isUnresolved(map.get("$concat"), spliced)) {
              out.add(ValueTrees.copy(item));
            } else {
              throw structural(
                  "$concat needs a list, got " + Values.describe(spliced),
                  map.get("$concat"),
                  path,
                  "Point $concat at a list, e.g. $concat: ${var.extraArgs}.");
            }
          } finally {
            path.remove(path.size() - 1);
          }
        } else {
          Object value = resolve(item, context, path, budget);
          if (value != REMOVED) {
            out.add(value);
          }
        }
      } finally {
        path.remove(path.size() - 1);
      }
    }
    return out;
  }

  /** A template string left as written because it touched a deferred value. */
  private static boolean isUnresolved(Object written, Object resolved) {
    return written instanceof String && written.equals(resolved) && hasTemplate((String) written);
  }

  private Object conditional(
      Map<?, ?> map, Map<String, Object> context, List<Object> path, Budget budget)
      throws TemplateException {
    for (Object key : map.keySet()) {
      if (!key.equals("$if") && !key.equals("$then") && !key.equals("$else")) {
        throw structural(
            "A $if map may only hold $if, $then and $else, found " + key,
            map.get(key),
            path,
            "Move " + key + " into the $then or $else branch.");
      }
    }
    if (!map.containsKey("$then")) {
      throw structural(
          "A $if map needs a $then branch",
          map.get("$if"),
          path,
          "Add $then: <value used when the condition is true>.");
    }
    path.add("$if");
    Object condition;
    try {
      condition = resolve(map.get("$if"), context, path, budget);
      if (isUnresolved(map.get("$if"), condition)) {
        return ValueTrees.copy(map);
      }
      if (!(condition instanceof Boolean)) {
        throw structural(
            "$if must resolve to a boolean, got " + Values.describe(condition),
            map.get("$if"),
            path,
            "Use a comparison, e.g. $if: ${environment.name == \"prod\"}.");
      }
    } finally {
      path.remove(path.size() - 1);
    }
    String branch = (Boolean) condition ? "$then" : "$else";
    if (!map.containsKey(branch)) {
      return REMOVED;
    }
    path.add(branch);
    try {
      return resolve(map.get(branch), context, path, budget);
    } finally {
      path.remove(path.size() - 1);
    }
  }

  private Object forEach(
      Map<?, ?> map, Map<String, Object> context, List<Object> path, Budget budget)
      throws TemplateException {
    for (Object key : map.keySet()) {
      if (!key.equals("$forEach") && !key.equals("$return") && !key.equals("$filter")) {
        throw structural(
            "A $forEach map may only hold $forEach, $return and $filter, found " + key,
            map.get(key),
            path,
            "Move " + key + " into $return.");
      }
    }
    if (!map.containsKey("$return")) {
      throw structural(
          "A $forEach map needs a $return value",
          map.get("$forEach"),
          path,
          "Add $return: <tree using ${item.value}>.");
    }
    path.add("$forEach");
    Object source;
    try {
      source = resolve(map.get("$forEach"), context, path, budget);
      if (isUnresolved(map.get("$forEach"), source)) {
        return ValueTrees.copy(map);
      }
      if (!(source instanceof List) && !(source instanceof Map)) {
        throw structural(
            "$forEach needs a list or a map, got " + Values.describe(source),
            map.get("$forEach"),
            path,
            "Point $forEach at a list or map, e.g. $forEach: ${var.services}.");
      }
    } finally {
      path.remove(path.size() - 1);
    }
    List<Map.Entry<Object, Object>> items = forEachItems(source);
    List<Object> out = new ArrayList<>(items.size());
    for (Map.Entry<Object, Object> item : items) {
      Map<String, Object> scope = withItem(context, item);
      if (map.containsKey("$filter")) {
        path.add("$filter");
        try {
          Object keep = resolve(map.get("$filter"), scope, path, budget);
          if (!(keep instanceof Boolean)) {
            throw structural(
                "$filter must resolve to a boolean, got " + Values.describe(keep),
                map.get("$filter"),
                path,
                "Use a comparison, e.g. $filter: ${item.value != \"skip\"}.");
          }
          if (!(Boolean) keep) {
            continue;
          }
        } finally {
          path.remove(path.size() - 1);
        }
      }
      path.add("$return");
      try {
        Object value = resolve(map.get("$return"), scope, path, budget);
        if (value != REMOVED) {
          if (out.size() >= Limits.MAX_ITEMS) {
            throw structural(
                "$forEach would make a list of more than " + Limits.ITEMS_LIMIT,
                map.get("$forEach"),
                path,
                Limits.SUGGESTION);
          }
          try {
            budget.chargeDeep(value);
          } catch (EvalError e) {
            throw structural(e.getMessage(), map.get("$return"), path, e.suggestion());
          }
          out.add(value);
        }
      } finally {
        path.remove(path.size() - 1);
      }
    }
    return out;
  }

  /** The items a $forEach walks: a list's by index, a map's by key. */
  static List<Map.Entry<Object, Object>> forEachItems(Object source) {
    List<Map.Entry<Object, Object>> items = new ArrayList<>();
    if (source instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        items.add(new java.util.AbstractMap.SimpleEntry<>((long) i, list.get(i)));
      }
    } else {
      ((Map<?, ?>) source)
          .forEach((k, v) -> items.add(new java.util.AbstractMap.SimpleEntry<>(k, v)));
    }
    return items;
  }

  /** The context of one $forEach item: {@code item.key} and {@code item.value} added. */
  static Map<String, Object> withItem(Map<String, Object> context, Map.Entry<Object, Object> item) {
    Map<String, Object> scope = new HashMap<>(context);
    Map<String, Object> itemValue = new LinkedHashMap<>();
    itemValue.put("key", item.getKey());
    itemValue.put("value", item.getValue());
    scope.put("item", itemValue);
    return scope;
  }

  private static TemplateException structural(
      String message, Object written, List<Object> path, String suggestion) {
    String expression = written instanceof String s ? s : String.valueOf(written);
    return new TemplateException(message, expression, path, suggestion);
  }

  private static String structuralHint(String key) {
    switch (key) {
      case "$concat":
        return "Use $concat as the only key of a list item.";
      case "$then":
      case "$else":
        return "Use " + key + " next to $if in the same map.";
      default:
        return "Use " + key + " next to $forEach in the same map.";
    }
  }

  // ---- references ----

  private void collectReferences(Object node, Set<List<String>> out) {
    if (node instanceof String text) {
      if (text.indexOf("${") < 0) {
        return;
      }
      Parsed parsed = parsed(text);
      if (parsed.template() != null) {
        collectSegments(parsed.template().segments(), out);
      }
    } else if (node instanceof Map<?, ?> map) {
      map.values().forEach(v -> collectReferences(v, out));
    } else if (node instanceof List<?> list) {
      list.forEach(v -> collectReferences(v, out));
    }
  }

  private static void collectSegments(List<Segment> segments, Set<List<String>> out) {
    for (Segment segment : segments) {
      if (segment instanceof Expr expr) {
        collectNode(expr.node(), out);
      } else if (segment instanceof IfBlock block) {
        collectNode(block.condition(), out);
        collectSegments(block.then(), out);
        collectSegments(block.otherwise(), out);
      }
    }
  }

  private static void collectNode(Node node, Set<List<String>> out) {
    if (node instanceof Lookup lookup) {
      List<String> path = new ArrayList<>();
      path.add(lookup.root());
      boolean dynamic = false;
      for (Node key : lookup.keys()) {
        if (!dynamic && key instanceof Literal lit && lit.value() instanceof String s) {
          path.add(s);
        } else {
          dynamic = true;
          collectNode(key, out);
        }
      }
      out.add(List.copyOf(path));
    } else if (node instanceof Binary binary) {
      collectNode(binary.left(), out);
      collectNode(binary.right(), out);
    } else if (node instanceof Unary unary) {
      collectNode(unary.operand(), out);
    } else if (node instanceof Ternary ternary) {
      collectNode(ternary.test(), out);
      collectNode(ternary.then(), out);
      collectNode(ternary.otherwise(), out);
    } else if (node instanceof Call call) {
      call.args().forEach(a -> collectNode(a, out));
    } else if (node instanceof ArrayLit array) {
      array.items().forEach(a -> collectNode(a, out));
    } else if (node instanceof Nested nested) {
      collectSegments(nested.template().segments(), out);
    }
  }
}
