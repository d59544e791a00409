package dev.grove.orchestrator.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.grove.orchestrator.template.Ast.Text;
import dev.grove.orchestrator.template.Ast.Unary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resolves only the lookups of a few context roots in a config tree and leaves every other template
 * as written, so that a later resolution with the full context finishes the job. This is how a
 * ConfigTemplate renders: {@code ${inputs.*}}, {@code ${parent.name}} and {@code ${template.name}}
 * are known when the template renders; {@code ${var.*}} and {@code ${actions.*}} only when the
 * rendered action resolves.
 *
 * <p>A {@code ${...}} that uses only the scope becomes its value (typed when it is the whole
 * string); one that mixes the scope with other roots is written back with the scope's values as
 * literals ({@code ${actions.build["${parent.name}"].outputs.id}} becomes {@code
 * ${actions.build["api"].outputs.id}}). {@code $forEach}, {@code $if}, {@code $merge} and {@code
 * $concat} whose source the scope decides are expanded, with {@code item} in scope inside {@code
 * $return}. Escaped {@code $${...}} stays escaped.
 */
public final class ScopeSubstitution {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TemplateResolver resolver;
  private final Budget budget;

  /**
   * @param load the load's budget ({@link Budget#forLoad()}), or null
   */
  public ScopeSubstitution(TemplateResolver resolver, Budget load) {
    this.resolver = resolver;
    this.budget = new Budget(load);
  }

  /** The tree with the scope's lookups resolved; {@code scope} maps root names to values. */
  public Object substitute(Object tree, Map<String, Object> scope) throws TemplateException {
    return tree(tree, scope, new ArrayList<>());
  }

  // ---- trees ----

  private Object tree(Object node, Map<String, Object> scope, List<Object> path)
      throws TemplateException {
    if (node instanceof String text) {
      return string(text, scope, path);
    }
    if (node instanceof Map<?, ?> map) {
      if (map.containsKey("$forEach")) {
        return forEach(map, scope, path);
      }
      if (map.containsKey("$if")) {
        return conditional(map, scope, path);
      }
      return map(map, scope, path);
    }
    if (node instanceof List<?> list) {
      return list(list, scope, path);
    }
    return node;
  }

  private Object map(Map<?, ?> map, Map<String, Object> scope, List<Object> path)
      throws TemplateException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      path.add(key);
      try {
        Object value = tree(entry.getValue(), scope, path);
        if (value == Removed.INSTANCE) {
          continue;
        }
        if (key.equals("$merge") && value instanceof Map<?, ?> merged) {
          merged.forEach((k, v) -> out.put(String.valueOf(k), v));
        } else {
          out.put(key, value);
        }
      } finally {
        path.remove(path.size() - 1);
      }
    }
    return out;
  }

  private Object list(List<?> list, Map<String, Object> scope, List<Object> path)
      throws TemplateException {
    List<Object> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      path.add(i);
      try {
        Object value = tree(list.get(i), scope, path);
        if (value == Removed.INSTANCE) {
          continue;
        }
        if (value instanceof Map<?, ?> map
            && map.size() == 1
            && map.get("$concat") instanceof List<?> spliced) {
          out.addAll(spliced);
        } else {
          out.add(value);
        }
      } finally {
        path.remove(path.size() - 1);
      }
    }
    return out;
  }

  /** Marks what a false {@code $if} without {@code $else} removes. */
  private enum Removed {
    INSTANCE
  }

  private Object conditional(Map<?, ?> map, Map<String, Object> scope, List<Object> path)
      throws TemplateException {
    path.add("$if");
    Object condition;
    try {
      condition = tree(map.get("$if"), scope, path);
    } finally {
      path.remove(path.size() - 1);
    }
    if (!(condition instanceof Boolean chosen) || !map.containsKey("$then")) {
      return map(map, scope, path); // decided later, or reported later
    }
    String branch = chosen ? "$then" : "$else";
    if (!map.containsKey(branch)) {
      return Removed.INSTANCE;
    }
    path.add(branch);
    try {
      return tree(map.get(branch), scope, path);
    } finally {
      path.remove(path.size() - 1);
    }
  }

  private Object forEach(Map<?, ?> map, Map<String, Object> scope, List<Object> path)
      throws TemplateException {
    path.add("$forEach");
    Object source;
    try {
      source = tree(map.get("$forEach"), scope, path);
    } finally {
      path.remove(path.size() - 1);
    }
    if (!(source instanceof List) && !(source instanceof Map) || !map.containsKey("$return")) {
      return map(map, scope, path); // decided later, or reported later
    }
    List<Object> out = new ArrayList<>();
    for (Map.Entry<Object, Object> item : TemplateResolver.forEachItems(source)) {
      Map<String, Object> itemScope = TemplateResolver.withItem(scope, item);
      if (map.containsKey("$filter")) {
        path.add("$filter");
        Object keep;
        try {
          keep = tree(map.get("$filter"), itemScope, path);
        } finally {
          path.remove(path.size() - 1);
        }
        if (!(keep instanceof Boolean)) {
          // The filter needs more than the scope: leave the whole loop to the later resolution.
          Map<String, Object> later = new LinkedHashMap<>();
          map.forEach((k, v) -> later.put(String.valueOf(k), v));
          later.put("$forEach", source);
          return map(later, scope, path);
        }
        if (!(Boolean) keep) {
          continue;
        }
      }
      path.add("$return");
      try {
        Object value = tree(map.get("$return"), itemScope, path);
        if (value != Removed.INSTANCE) {
          if (out.size() >= Limits.MAX_ITEMS) {
            throw new TemplateException(
                "$forEach would make a list of more than " + Limits.ITEMS_LIMIT,
                String.valueOf(map.get("$forEach")),
                path,
                Limits.SUGGESTION);
          }
          out.add(value);
        }
      } finally {
        path.remove(path.size() - 1);
      }
    }
    return out;
  }

  // ---- strings ----

  private Object string(String text, Map<String, Object> scope, List<Object> path)
      throws TemplateException {
    if (!TemplateResolver.hasTemplate(text)) {
      return text;
    }
    Template template = resolver.parse(text, path);
    if (!mentions(template.segments(), scope)) {
      return text;
    }
    try {
      if (template.single() && only(((Expr) template.segments().get(0)).node(), scope)) {
        return ValueTrees.copy(new Evaluator(scope, budget).evaluate(template));
      }
      StringBuilder out = new StringBuilder();
      segments(template.segments(), scope, out);
      return out.toString();
    } catch (EvalError e) {
      throw new TemplateException(e.getMessage(), text, path, e.suggestion());
    }
  }

  private void segments(List<Segment> segments, Map<String, Object> scope, StringBuilder out) {
    for (Segment segment : segments) {
      if (segment instanceof Text text) {
        out.append(text.text().replace("${", "$${"));
      } else if (segment instanceof Expr expr) {
        if (only(expr.node(), scope)) {
          Object value = new Evaluator(scope, budget).evaluate(new Template("", List.of(segment)));
          if (value != null || !expr.optional()) {
            out.append(Evaluator.inString(value));
          }
        } else {
          out.append("${").append(print(rewrite(expr.node(), scope))).append('}');
          if (expr.optional()) {
            out.append('?');
          }
        }
      } else if (segment instanceof IfBlock block) {
        if (only(block.condition(), scope)) {
          Object condition = new Evaluator(scope, budget).eval(block.condition());
          if (condition instanceof Evaluator.Missing missing) {
            throw new EvalError(missing.message(), missing.suggestion());
          }
          segments(Values.truthy(condition) ? block.then() : block.otherwise(), scope, out);
        } else {
          out.append("${if ").append(print(rewrite(block.condition(), scope))).append('}');
          segments(block.then(), scope, out);
          if (!block.otherwise().isEmpty()) {
            out.append("${else}");
            segments(block.otherwise(), scope, out);
          }
          out.append("${endif}");
        }
      }
    }
  }

  // ---- expressions ----

  /** True when some lookup in the segments has a root of the scope. */
  private static boolean mentions(List<Segment> segments, Map<String, Object> scope) {
    for (Segment segment : segments) {
      if (segment instanceof Expr expr && mentions(expr.node(), scope)
          || segment instanceof IfBlock block
              && (mentions(block.condition(), scope)
                  || mentions(block.then(), scope)
                  || mentions(block.otherwise(), scope))) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentions(Node node, Map<String, Object> scope) {
    if (node instanceof Lookup lookup) {
      return scope.containsKey(lookup.root())
          || lookup.keys().stream().anyMatch(k -> mentions(k, scope));
    }
    if (node instanceof Nested nested) {
      return mentions(nested.template().segments(), scope);
    }
    return children(node).stream().anyMatch(child -> mentions(child, scope));
  }

  /** True when every lookup in the node has a root of the scope. */
  private static boolean only(Node node, Map<String, Object> scope) {
    if (node instanceof Lookup lookup) {
      return scope.containsKey(lookup.root())
          && lookup.keys().stream().allMatch(k -> only(k, scope));
    }
    if (node instanceof Nested nested) {
      return onlySegments(nested.template().segments(), scope);
    }
    return children(node).stream().allMatch(child -> only(child, scope));
  }

  /** The operands of an operator, call or array; none for literals. */
  private static List<Node> children(Node node) {
    if (node instanceof ArrayLit array) {
      return array.items();
    }
    if (node instanceof Call call) {
      return call.args();
    }
    if (node instanceof Unary unary) {
      return List.of(unary.operand());
    }
    if (node instanceof Binary binary) {
      return List.of(binary.left(), binary.right());
    }
    if (node instanceof Ternary ternary) {
      return List.of(ternary.test(), ternary.then(), ternary.otherwise());
    }
    return List.of();
  }

  private static boolean onlySegments(List<Segment> segments, Map<String, Object> scope) {
    for (Segment segment : segments) {
      if (segment instanceof Expr expr && !only(expr.node(), scope)
          || segment instanceof IfBlock block
              && !(only(block.condition(), scope)
                  && onlySegments(block.then(), scope)
                  && onlySegments(block.otherwise(), scope))) {
        return false;
      }
    }
    return true;
  }

  /** The node with the scope's lookups replaced by their values. */
  private Node rewrite(Node node, Map<String, Object> scope) {
    if (!mentions(node, scope)) {
      return node;
    }
    if (node instanceof Lookup lookup) {
      if (only(lookup, scope)) {
        Object value = new Evaluator(scope, budget).eval(lookup);
        if (value instanceof Evaluator.Missing missing) {
          throw new EvalError(missing.message(), missing.suggestion());
        }
        return literal(value);
      }
      List<Node> keys = new ArrayList<>();
      for (Node key : lookup.keys()) {
        keys.add(rewrite(key, scope));
      }
      return new Lookup(lookup.root(), keys);
    }
    if (node instanceof Nested nested) {
      if (onlySegments(nested.template().segments(), scope)) {
        return new Literal(new Evaluator(scope, budget).evaluate(nested.template()));
      }
      StringBuilder text = new StringBuilder();
      segments(nested.template().segments(), scope, text);
      return new Nested(new Template(text.toString(), List.of()));
    }
    if (node instanceof ArrayLit array) {
      return new ArrayLit(array.items().stream().map(i -> rewrite(i, scope)).toList());
    }
    if (node instanceof Call call) {
      return new Call(call.name(), call.args().stream().map(a -> rewrite(a, scope)).toList(), 0);
    }
    if (node instanceof Unary unary) {
      return new Unary(unary.op(), rewrite(unary.operand(), scope));
    }
    if (node instanceof Binary binary) {
      return new Binary(binary.op(), rewrite(binary.left(), scope), rewrite(binary.right(), scope));
    }
    if (node instanceof Ternary ternary) {
      return new Ternary(
          rewrite(ternary.test(), scope),
          rewrite(ternary.then(), scope),
          rewrite(ternary.otherwise(), scope));
    }
    return node;
  }

  private static Node literal(Object value) {
    if (value instanceof List<?> list) {
      return new ArrayLit(list.stream().map(ScopeSubstitution::literal).toList());
    }
    if (value instanceof Map<?, ?> map) {
      try {
        return new Call("jsonDecode", List.of(new Literal(JSON.writeValueAsString(map))), 0);
      } catch (JsonProcessingException e) {
        throw new EvalError(
            "Cannot write the object " + Values.describe(map) + " into the expression",
            "Use the value as the whole string instead.");
      }
    }
    return new Literal(value);
  }

  /** The node as template syntax the parser reads back to the same node. */
  static String print(Node node) {
    if (node instanceof Literal lit) {
      return printLiteral(lit.value());
    }
    if (node instanceof Lookup lookup) {
      StringBuilder out = new StringBuilder(lookup.root());
      for (Node key : lookup.keys()) {
        if (key instanceof Literal lit
            && lit.value() instanceof String name
            && IDENTIFIER.matcher(name).matches()) {
          out.append('.').append(name);
        } else {
          out.append('[').append(print(key)).append(']');
        }
      }
      return out.toString();
    }
    if (node instanceof ArrayLit array) {
      return "[" + join(array.items()) + "]";
    }
    if (node instanceof Call call) {
      return call.name() + "(" + join(call.args()) + ")";
    }
    if (node instanceof Unary unary) {
      return unary.op() + " (" + print(unary.operand()) + ")";
    }
    if (node instanceof Binary binary) {
      return "(" + print(binary.left()) + " " + binary.op() + " " + print(binary.right()) + ")";
    }
    if (node instanceof Ternary ternary) {
      return "("
          + print(ternary.test())
          + " ? "
          + print(ternary.then())
          + " : "
          + print(ternary.otherwise())
          + ")";
    }
    return quote(((Nested) node).template().source());
  }

  private static String join(List<Node> nodes) {
    return String.join(", ", nodes.stream().map(ScopeSubstitution::print).toList());
  }

  private static String printLiteral(Object value) {
    if (value instanceof String text) {
      return quote(text);
    }
    return value == null ? "null" : Values.text(value);
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
