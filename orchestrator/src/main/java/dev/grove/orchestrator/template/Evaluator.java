package dev.grove.orchestrator.template;

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
import java.util.List;
import java.util.Map;

/** Evaluates parsed templates against one context. Not shared between threads. */
final class Evaluator {

  /**
   * A lookup that found nothing; an error unless a default ({@code ||}), {@code &&}, {@code !},
   * {@code typeof}, a ternary's test or {@code ?} absorbs it.
   */
  record Missing(String message, String suggestion) {}

  private final Map<String, Object> context;
  private final Budget budget;

  Evaluator(Map<String, Object> context) {
    this(context, new Budget());
  }

  Evaluator(Map<String, Object> context, Budget budget) {
    this.context = context;
    this.budget = budget;
  }

  /** The template's value: typed when it is one expression, otherwise the joined string. */
  Object evaluate(Template template) {
    if (template.single()) {
      Expr expr = (Expr) template.segments().get(0);
      Object value = eval(expr.node());
      if (value instanceof Missing missing) {
        if (expr.optional()) {
          return null;
        }
        throw new EvalError(missing.message(), missing.suggestion());
      }
      return value;
    }
    Limits.Text out = new Limits.Text("This template");
    append(template.segments(), out);
    return built(out.toString());
  }

  /** Counts a value just built against the resolution's budget. */
  private Object built(Object value) {
    budget.charge(value);
    return value;
  }

  private void append(List<Segment> segments, Limits.Text out) {
    for (Segment segment : segments) {
      if (segment instanceof Text text) {
        out.append(text.text());
      } else if (segment instanceof Expr expr) {
        Object value = eval(expr.node());
        if (value instanceof Missing missing) {
          if (expr.optional()) {
            continue;
          }
          throw new EvalError(missing.message(), missing.suggestion());
        }
        out.append(inString(value));
      } else if (segment instanceof IfBlock block) {
        Object condition = require(eval(block.condition()));
        append(Values.truthy(condition) ? block.then() : block.otherwise(), out);
      }
    }
  }

  /** The value as part of a larger string; an object or array cannot be. */
  static String inString(Object value) {
    if (value instanceof Map || value instanceof List) {
      throw new EvalError(
          "Cannot put "
              + (value instanceof Map ? "an object" : "an array")
              + " into a string; the template resolves to "
              + Values.describe(value)
              + " but is part of a larger string",
          "Use ${jsonEncode(...)} to put an object into a string. Or make the value the whole"
              + " string to keep its type.");
    }
    return Values.text(value);
  }

  Object eval(Node node) {
    if (node instanceof Literal lit) {
      return lit.value();
    }
    if (node instanceof Lookup lookup) {
      return lookup(lookup);
    }
    if (node instanceof Binary binary) {
      return binary(binary);
    }
    if (node instanceof Unary unary) {
      return unary(unary);
    }
    if (node instanceof Ternary ternary) {
      // Garden: a missing key in the test is false (`${local.env.CI ? 'ci' : 'dev'}`), as with
      // `&&` and `!`; `==` or `${if}` on a missing key stay errors there too.
      Object test = eval(ternary.test());
      return !(test instanceof Missing) && Values.truthy(test)
          ? eval(ternary.then())
          : eval(ternary.otherwise());
    }
    if (node instanceof Call call) {
      List<Object> args = new ArrayList<>(call.args().size());
      for (Node arg : call.args()) {
        args.add(require(eval(arg)));
      }
      return built(TemplateFunctions.call(call.name(), args));
    }
    if (node instanceof ArrayLit array) {
      List<Object> out = new ArrayList<>(array.items().size());
      for (Node item : array.items()) {
        out.add(require(eval(item)));
      }
      return built(out);
    }
    if (node instanceof Nested nested) {
      return evaluate(nested.template());
    }
    throw new IllegalStateException("unknown node " + node);
  }

  /** A concrete value: a Missing becomes its error. */
  static Object require(Object value) {
    if (value instanceof Missing missing) {
      throw new EvalError(missing.message(), missing.suggestion());
    }
    return value;
  }

  private Object lookup(Lookup lookup) {
    String root = lookup.root();
    if (!context.containsKey(root)) {
      String near = Values.closest(root, context.keySet());
      return new Missing(
          "Could not find key \""
              + root
              + "\" in the template context. Available keys: "
              + keys(context)
              + ".",
          near != null
              ? "Did you mean " + near + "?"
              : "Reference one of the available keys, or give a default with ${"
                  + root
                  + " || \"...\"}.");
    }
    Object current = check(context.get(root), root);
    StringBuilder where = new StringBuilder(root);
    for (Node keyNode : lookup.keys()) {
      Object keyValue = keyNode instanceof Literal lit ? lit.value() : require(eval(keyNode));
      if (keyValue == TemplateValues.DEFERRED) {
        throw DeferredSignal.INSTANCE;
      }
      if (!Values.isPrimitive(keyValue) || keyValue == null) {
        throw new EvalError(
            "A key in brackets must resolve to a string or number, got "
                + Values.describe(keyValue)
                + " (under \""
                + where
                + "\")",
            "Put a string or number expression inside the brackets.");
      }
      String key = Values.text(keyValue);
      if (current instanceof Map<?, ?> map) {
        if (!map.containsKey(key)) {
          List<String> names = new ArrayList<>();
          map.keySet().forEach(k -> names.add(String.valueOf(k)));
          String near = Values.closest(key, names);
          return new Missing(
              "Could not find key \""
                  + key
                  + "\" under \""
                  + where
                  + "\". Available keys: "
                  + (names.isEmpty() ? "(none)" : String.join(", ", names))
                  + ".",
              near != null
                  ? "Did you mean " + where + "." + near + "?"
                  : "Define "
                      + where
                      + "."
                      + key
                      + ", or give a default with ${"
                      + where
                      + "."
                      + key
                      + " || \"...\"}.");
        }
        current = map.get(key);
      } else if (current instanceof List<?> list) {
        int index = parseIndex(key);
        if (index < 0 || index >= list.size()) {
          return new Missing(
              "Index "
                  + key
                  + " is out of range under \""
                  + where
                  + "\", which has "
                  + list.size()
                  + " items.",
              "Use an index from 0 to " + (list.size() - 1) + ".");
        }
        current = list.get(index);
      } else {
        return new Missing(
            "Could not find key \""
                + key
                + "\" under \""
                + where
                + "\": it is "
                + Values.describe(current)
                + ", not an object.",
            "Check the path; \"" + where + "\" holds a value, not a map.");
      }
      where.append('.').append(key);
      current = check(current, where);
    }
    return current;
  }

  private static Object check(Object value, CharSequence where) {
    if (value == TemplateValues.DEFERRED) {
      throw DeferredSignal.INSTANCE;
    }
    if (value instanceof TemplateValues.Unavailable unavailable) {
      throw new EvalError(
          unavailable.reason(),
          "Remove the reference to \""
              + where
              + "\" here, or move it to a field where it is"
              + " available.");
    }
    return value;
  }

  private static int parseIndex(String key) {
    if (key.isEmpty() || key.length() > 9) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static String keys(Map<?, ?> map) {
    List<String> names = new ArrayList<>();
    map.keySet().forEach(k -> names.add(String.valueOf(k)));
    return names.isEmpty() ? "(none)" : String.join(", ", names);
  }

  private Object unary(Unary unary) {
    Object value = eval(unary.operand());
    switch (unary.op()) {
      case "!":
        // Garden back-compat: a missing key negates to false, not an error
        return value instanceof Missing ? Boolean.FALSE : !Values.truthy(value);
      case "typeof":
        return Values.typeOf(value);
      default:
        Object operand = Values.normalize(require(value));
        if (operand instanceof Long l) {
          return -l;
        }
        if (operand instanceof Double d) {
          return -d;
        }
        throw new EvalError(
            "The operand of unary - must be a number, got " + Values.describe(operand),
            "Negate numbers only.");
    }
  }

  private Object binary(Binary binary) {
    String op = binary.op();
    if (op.equals("||")) {
      Object left = eval(binary.left());
      return Values.truthy(left) ? left : eval(binary.right());
    }
    if (op.equals("&&")) {
      Object left = eval(binary.left());
      if (left instanceof Missing) {
        return Boolean.FALSE;
      }
      return Values.truthy(left) ? eval(binary.right()) : left;
    }
    Object left = Values.normalize(require(eval(binary.left())));
    Object right = Values.normalize(require(eval(binary.right())));
    switch (op) {
      case "==":
        return Values.deepEquals(left, right);
      case "!=":
        return !Values.deepEquals(left, right);
      case "contains":
        return contains(left, right);
      case "+":
        return built(plus(left, right));
      case "<":
      case "<=":
      case ">":
      case ">=":
        return compare(op, left, right);
      default:
        return arithmetic(op, left, right);
    }
  }

  private static Object contains(Object left, Object right) {
    if (!Values.isPrimitive(right)) {
      throw new EvalError(
          "The right-hand side of a 'contains' operator must be a string, number, boolean or"
              + " null, got "
              + Values.describe(right),
          "Check for one element or key at a time.");
    }
    if (left instanceof List<?> list) {
      for (Object item : list) {
        if (Values.deepEquals(item, right)) {
          return true;
        }
      }
      return false;
    }
    if (left instanceof Map<?, ?> map) {
      return map.containsKey(Values.text(right));
    }
    if (left instanceof String str) {
      return str.contains(Values.text(right));
    }
    throw new EvalError(
        "The left-hand side of a 'contains' operator must be a string, array or object, got "
            + Values.describe(left),
        "Use contains on a string, list or map.");
  }

  private static Object plus(Object left, Object right) {
    if (left instanceof Number && right instanceof Number) {
      return arithmetic("+", left, right);
    }
    if (left instanceof String a && right instanceof String b) {
      Limits.chars((long) a.length() + b.length(), "+");
      return a + b;
    }
    if (left instanceof List<?> a && right instanceof List<?> b) {
      Limits.items((long) a.size() + b.size(), "+");
      List<Object> out = new ArrayList<>(a.size() + b.size());
      out.addAll(a);
      out.addAll(b);
      return out;
    }
    throw new EvalError(
        "Both terms of + must be numbers, strings or arrays of the same kind, got "
            + Values.describe(left)
            + " and "
            + Values.describe(right),
        "Convert one side first, e.g. ${string(...) + \"...\"}.");
  }

  private static Object compare(String op, Object left, Object right) {
    int cmp;
    if (left instanceof Number a && right instanceof Number b) {
      cmp =
          a instanceof Long && b instanceof Long
              ? Long.compare(a.longValue(), b.longValue())
              : Double.compare(a.doubleValue(), b.doubleValue());
    } else if (left instanceof String a && right instanceof String b) {
      cmp = a.compareTo(b);
    } else {
      throw new EvalError(
          "Both terms of "
              + op
              + " must be numbers, got "
              + Values.describe(left)
              + " and "
              + Values.describe(right),
          "Compare numbers (or two strings) only.");
    }
    switch (op) {
      case "<":
        return cmp < 0;
      case "<=":
        return cmp <= 0;
      case ">":
        return cmp > 0;
      default:
        return cmp >= 0;
    }
  }

  static Object arithmetic(String op, Object left, Object right) {
    if (!(left instanceof Number) || !(right instanceof Number)) {
      throw new EvalError(
          "Both terms of "
              + op
              + " must be numbers, got "
              + Values.describe(left)
              + " and "
              + Values.describe(right),
          "Use numbers on both sides of " + op + ".");
    }
    if (left instanceof Long a && right instanceof Long b) {
      try {
        switch (op) {
          case "+":
            return Math.addExact(a, b);
          case "-":
            return Math.subtractExact(a, b);
          case "*":
            return Math.multiplyExact(a, b);
          case "/":
            if (b == 0) {
              throw divisionByZero();
            }
            return a % b == 0 ? (Object) (a / b) : (Object) ((double) a / b);
          default:
            if (b == 0) {
              throw divisionByZero();
            }
            return a % b;
        }
      } catch (ArithmeticException overflow) {
        // fall through to floating point, as JavaScript would
      }
    }
    double a = ((Number) left).doubleValue();
    double b = ((Number) right).doubleValue();
    switch (op) {
      case "+":
        return a + b;
      case "-":
        return a - b;
      case "*":
        return a * b;
      case "/":
        if (b == 0) {
          throw divisionByZero();
        }
        return a / b;
      default:
        if (b == 0) {
          throw divisionByZero();
        }
        return a % b;
    }
  }

  private static EvalError divisionByZero() {
    return new EvalError("Division by zero", "Make sure the divisor is not 0.");
  }
}
