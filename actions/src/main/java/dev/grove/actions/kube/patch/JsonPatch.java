package dev.grove.actions.kube.patch;

import dev.grove.api.value.ValueTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * JSON patch (RFC 6902): a list of {@code add}, {@code remove}, {@code replace}, {@code move},
 * {@code copy} and {@code test} operations on JSON pointers (RFC 6901). The operations apply in
 * order and all or nothing. Neither argument is changed; the result shares nothing with them.
 */
public final class JsonPatch {

  private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]*");

  private JsonPatch() {}

  /** Applies {@code operations} to an object, which must stay an object. */
  public static Map<String, Object> apply(Map<String, Object> document, List<?> operations)
      throws PatchException {
    Object result = apply((Object) document, operations);
    if (!(result instanceof Map<?, ?>)) {
      throw new PatchException(
          "",
          "the JSON patch replaced the whole object with " + Values.describe(result),
          "Patch fields of the object (paths such as /spec/replicas), not the root path \"\"");
    }
    return ValueTrees.map(result);
  }

  /** Applies {@code operations} to any JSON value. */
  public static Object apply(Object document, List<?> operations) throws PatchException {
    Object doc = Values.copy(document);
    List<Object> ops = ValueTrees.list(Values.copy(operations));
    for (int i = 0; i < ops.size(); i++) {
      doc = applyOne(doc, ops.get(i), i);
    }
    return doc;
  }

  private static Object applyOne(Object doc, Object operation, int index) throws PatchException {
    if (!(operation instanceof Map<?, ?>)) {
      throw new PatchException(
          "operation " + index,
          "an operation must be an object, not " + Values.describe(operation),
          "Write each operation as {op: ..., path: ..., value: ...}");
    }
    Map<String, Object> op = ValueTrees.map(operation);
    Object name = op.get("op");
    Object pathValue = op.get("path");
    String label = "operation " + index + " (" + name + " " + pathValue + ")";
    if (!(name instanceof String opName)) {
      throw new PatchException(
          label, "the operation has no op", "Give it op: add, remove, replace, move, copy or test");
    }
    if (!(pathValue instanceof String path)) {
      throw new PatchException(
          label, "the operation has no path", "Give it a JSON pointer path such as /spec/replicas");
    }
    Operation o = new Operation(label, op);
    List<String> target = o.pointer(path);
    switch (opName) {
      case "add":
        return o.add(doc, target, o.value());
      case "remove":
        return o.remove(doc, target);
      case "replace":
        {
          Object value = o.value();
          o.get(doc, target);
          return o.set(doc, target, value);
        }
      case "move":
        {
          String fromPath = o.from();
          List<String> from = o.pointer(fromPath);
          if (target.size() > from.size() && target.subList(0, from.size()).equals(from)) {
            throw o.error(
                "cannot move " + fromPath + " into itself",
                "Move it to a path outside " + fromPath);
          }
          Object value = o.get(doc, from);
          return o.add(o.remove(doc, from), target, value);
        }
      case "copy":
        {
          Object value = Values.copy(o.get(doc, o.pointer(o.from())));
          return o.add(doc, target, value);
        }
      case "test":
        {
          Object expected = o.value();
          Object actual = o.get(doc, target);
          if (!Values.deepEquals(actual, expected)) {
            throw o.error(
                "the test failed: the value is "
                    + Values.describe(actual)
                    + ", not "
                    + Values.describe(expected),
                "Correct the test's value, or the manifest it checks");
          }
          return doc;
        }
      default:
        throw o.error("unknown op " + opName, "Use add, remove, replace, move, copy or test");
    }
  }

  /** One operation being applied; its label names it in every error. */
  private record Operation(String label, Map<String, Object> op) {

    PatchException error(String message, String suggestion) {
      return new PatchException(label, message, suggestion);
    }

    Object value() throws PatchException {
      if (!op.containsKey("value")) {
        throw error("the operation has no value", "Give it a value");
      }
      return op.get("value");
    }

    String from() throws PatchException {
      if (!(op.get("from") instanceof String from)) {
        throw error("the operation has no from", "Give it the JSON pointer to take the value from");
      }
      return from;
    }

    List<String> pointer(String pointer) throws PatchException {
      List<String> tokens = new ArrayList<>();
      if (pointer.isEmpty()) {
        return tokens;
      }
      if (!pointer.startsWith("/")) {
        throw error(
            "the path " + pointer + " is not a JSON pointer",
            "Start the path with /, e.g. /spec/replicas");
      }
      for (String raw : pointer.substring(1).split("/", -1)) {
        if (raw.replace("~0", "").replace("~1", "").contains("~")) {
          throw error(
              "the path " + pointer + " has a ~ that is not ~0 or ~1",
              "Write ~ as ~0 and / as ~1 inside a key");
        }
        tokens.add(raw.replace("~1", "/").replace("~0", "~"));
      }
      return tokens;
    }

    Object get(Object doc, List<String> pointer) throws PatchException {
      Object current = doc;
      for (int i = 0; i < pointer.size(); i++) {
        current = child(current, pointer.get(i), pointer.subList(0, i + 1));
      }
      return current;
    }

    private Object child(Object container, String token, List<String> at) throws PatchException {
      if (container instanceof Map<?, ?> m) {
        if (!m.containsKey(token)) {
          throw missing(at);
        }
        return m.get(token);
      }
      if (container instanceof List<?> l) {
        int i = index(token, l.size(), false, at);
        return l.get(i);
      }
      throw missing(at);
    }

    Object set(Object doc, List<String> pointer, Object value) throws PatchException {
      if (pointer.isEmpty()) {
        return value;
      }
      Object parent = get(doc, pointer.subList(0, pointer.size() - 1));
      String last = pointer.get(pointer.size() - 1);
      if (parent instanceof Map<?, ?>) {
        ValueTrees.map(parent).put(last, value);
      } else {
        List<Object> list = ValueTrees.list(parent);
        list.set(index(last, list.size(), false, pointer), value);
      }
      return doc;
    }

    Object add(Object doc, List<String> pointer, Object value) throws PatchException {
      if (pointer.isEmpty()) {
        return value;
      }
      Object parent = get(doc, pointer.subList(0, pointer.size() - 1));
      String last = pointer.get(pointer.size() - 1);
      if (parent instanceof Map<?, ?>) {
        ValueTrees.map(parent).put(last, value);
      } else if (parent instanceof List<?>) {
        List<Object> list = ValueTrees.list(parent);
        if (last.equals("-")) {
          list.add(value);
        } else {
          list.add(index(last, list.size(), true, pointer), value);
        }
      } else {
        throw missing(pointer.subList(0, pointer.size() - 1));
      }
      return doc;
    }

    Object remove(Object doc, List<String> pointer) throws PatchException {
      if (pointer.isEmpty()) {
        throw error("cannot remove the whole object", "Remove fields of it instead");
      }
      Object parent = get(doc, pointer.subList(0, pointer.size() - 1));
      String last = pointer.get(pointer.size() - 1);
      if (parent instanceof Map<?, ?> m) {
        if (!m.containsKey(last)) {
          throw missing(pointer);
        }
        m.remove(last);
      } else if (parent instanceof List<?> l) {
        l.remove(index(last, l.size(), false, pointer));
      } else {
        throw missing(pointer);
      }
      return doc;
    }

    /** A list index; {@code size} itself only where {@code add} may append. */
    private int index(String token, int size, boolean orEnd, List<String> at)
        throws PatchException {
      if (!INDEX.matcher(token).matches()) {
        throw error(
            render(at) + " needs a list index, not " + token,
            "Use a number (0 is the first item), or - to add at the end");
      }
      int max = orEnd ? size : size - 1;
      if (token.length() > 9 || Integer.parseInt(token) > max) {
        throw error(
            "the index "
                + token
                + " in "
                + render(at)
                + " is past the end of the list ("
                + size
                + " items)",
            "Use an index below the list's length, or - to add at the end");
      }
      return Integer.parseInt(token);
    }

    private PatchException missing(List<String> at) {
      return error(
          render(at) + " does not exist in the object",
          "Check the path against the manifest; add creates only the last key of a path");
    }

    private static String render(List<String> pointer) {
      StringBuilder sb = new StringBuilder();
      for (String t : pointer) {
        sb.append('/').append(t.replace("~", "~0").replace("/", "~1"));
      }
      return sb.length() == 0 ? "the whole object" : sb.toString();
    }
  }
}
