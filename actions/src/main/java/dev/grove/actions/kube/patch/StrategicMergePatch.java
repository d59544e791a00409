package dev.grove.actions.kube.patch;

import dev.grove.api.value.ValueTrees;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kubernetes strategic merge patch, applied the way {@code kubectl patch --local --type strategic}
 * (kubectl 1.32, k8s.io/apimachinery's strategicpatch) applies it to a built-in kind:
 *
 * <ul>
 *   <li>maps merge key by key; a {@code null} value deletes the key;
 *   <li>lists tagged {@code patchStrategy: merge} merge: objects by their merge key ({@code
 *       containers} by {@code name}, container {@code ports} by {@code containerPort}, ...),
 *       scalars as a set ({@code metadata.finalizers}); items in the patch come first, in patch
 *       order, interleaved with the object's other items where both lists know them; every other
 *       list is replaced (tolerations, args, envFrom, Service selectors...);
 *   <li>directives: {@code $patch: replace|delete} on a map or a list item, {@code $retainKeys},
 *       {@code $deleteFromPrimitiveList/<field>} and {@code $setElementOrder/<field>}.
 * </ul>
 *
 * <p>kubectl's own quirks are kept, because manifests patched by Garden (which runs kubectl) look
 * like that: a map with {@code $patch: delete} becomes {@code {}}, not absent; items appended to a
 * list keep their {@code null} values, while values for keys the object lacks lose theirs. Where
 * kubectl's result depends on Go's random map order (a {@code $deleteFromPrimitiveList/f} and a
 * {@code f} in the same patch), deletions are applied first. Grove is more lenient in one way:
 * kubectl refuses a field its Go type does not have when both sides hold an object or a list; Grove
 * merges it as an untagged field.
 */
public final class StrategicMergePatch {

  static final String DIRECTIVE = "$patch";
  static final String RETAIN_KEYS = "$retainKeys";
  static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
  static final String SET_ELEMENT_ORDER = "$setElementOrder";

  private static final String FIX_MERGE_KEY =
      "Give every item of a merged list its merge key (containers and env by name, container"
          + " ports by containerPort, Service ports by port, volumeMounts by mountPath)";
  private static final String FIX_DIRECTIVE =
      "Use `$patch: replace` or `$patch: delete` (strategic merge patch directives), or"
          + " strategy: json for anything finer";

  /** Marks a value that {@link #removeDirectives} drops. */
  private static final Object DROP = new Object();

  private StrategicMergePatch() {}

  /** Whether Grove knows the merge keys of this kind (built-in kinds, not custom resources). */
  public static boolean supports(String apiVersion, String kind) {
    return PatchSchema.forKind(apiVersion, kind).isPresent();
  }

  /**
   * Applies {@code patch} to {@code object} with the merge keys of the object's {@code apiVersion}
   * and {@code kind}. Neither argument is changed; the result shares nothing with them.
   *
   * @throws PatchException if the kind is not a built-in one, or the patch does not fit
   */
  public static Map<String, Object> apply(Map<String, Object> object, Map<String, Object> patch)
      throws PatchException {
    Object apiVersion = object.get("apiVersion");
    Object kind = object.get("kind");
    Optional<PatchSchema> schema =
        apiVersion instanceof String v && kind instanceof String k
            ? PatchSchema.forKind(v, k)
            : Optional.empty();
    if (schema.isEmpty()) {
      throw new PatchException(
          "",
          "a strategic merge patch needs the merge keys of the object's kind, and Grove knows"
              + " them for built-in kinds only, not for "
              + apiVersion
              + " "
              + kind,
          "Use strategy: merge (JSON merge patch) or strategy: json for this resource");
    }
    return apply(object, patch, schema.get());
  }

  static Map<String, Object> apply(
      Map<String, Object> object, Map<String, Object> patch, PatchSchema schema)
      throws PatchException {
    Map<String, Object> original = ValueTrees.map(Values.copy(object));
    Map<String, Object> p = ValueTrees.map(Values.copy(patch));
    return mergeMap(original, p, schema, "");
  }

  /** Merges {@code patch} into {@code original}, both private copies that may be changed. */
  private static Map<String, Object> mergeMap(
      Map<String, Object> original, Map<String, Object> patch, PatchSchema schema, String path)
      throws PatchException {
    if (patch.containsKey(DIRECTIVE)) {
      Object directive = patch.get(DIRECTIVE);
      if ("replace".equals(directive)) {
        patch.remove(DIRECTIVE);
        return patch;
      }
      if ("delete".equals(directive)) {
        return new LinkedHashMap<>();
      }
      throw new PatchException(
          path,
          "unknown $patch directive " + Values.describe(directive) + " in a map",
          FIX_DIRECTIVE);
    }
    Map<String, Object> result = original == null ? new LinkedHashMap<>() : original;
    applyRetainKeys(result, patch, path);
    applySetElementOrder(result, patch, schema, path);
    // Deletion lists first: kubectl takes the keys in Go's random map order, and deleting first is
    // what it does most often (and what a computed patch, whose lists never overlap, means).
    for (String key : List.copyOf(patch.keySet())) {
      if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        String field = directiveField(key, DELETE_FROM_PRIMITIVE_LIST, path);
        mergeField(result, field, patch.get(key), true, schema, path);
      }
    }
    for (String key : List.copyOf(patch.keySet())) {
      if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        mergeField(result, key, patch.get(key), false, schema, path);
      }
    }
    return result;
  }

  private static void mergeField(
      Map<String, Object> original,
      String key,
      Object patchValue,
      boolean deleteList,
      PatchSchema schema,
      String path)
      throws PatchException {
    String at = join(path, key);
    if (patchValue == null) {
      original.remove(key);
      return;
    }
    Object value = original.get(key);
    if (!original.containsKey(key) || !sameKind(value, patchValue)) {
      if (!deleteList) {
        discardNulls(patchValue);
        Object cleaned = removeDirectives(patchValue);
        if (cleaned == DROP) {
          original.remove(key);
        } else {
          original.put(key, cleaned);
        }
      }
      return;
    }
    PatchSchema.Field field = schema.field(key);
    if (value instanceof Map<?, ?>) {
      original.put(
          key,
          field.strategy().equals("replace")
              ? patchValue
              : mergeMap(ValueTrees.map(value), ValueTrees.map(patchValue), field.type(), at));
    } else if (value instanceof List<?>) {
      if (field.strategy().equals("merge") || deleteList) {
        original.put(
            key,
            mergeList(
                ValueTrees.list(value),
                ValueTrees.list(patchValue),
                field.type(),
                field.mergeKey(),
                deleteList,
                at));
      } else {
        original.put(key, patchValue);
      }
    } else {
      original.put(key, patchValue);
    }
  }

  /** Go compares the decoded types: map, slice, string, number, bool; null is its own. */
  private static boolean sameKind(Object a, Object b) {
    return a != null && b != null && kindOf(a) == kindOf(b);
  }

  private enum Kind {
    MAP,
    LIST,
    STRING,
    NUMBER,
    BOOLEAN,
    NULL
  }

  private static Kind kindOf(Object v) {
    if (v == null) {
      return Kind.NULL;
    }
    if (v instanceof Map<?, ?>) {
      return Kind.MAP;
    }
    if (v instanceof List<?>) {
      return Kind.LIST;
    }
    if (v instanceof Number) {
      return Kind.NUMBER;
    }
    return v instanceof Boolean ? Kind.BOOLEAN : Kind.STRING;
  }

  // ---- lists ----

  private static List<Object> mergeList(
      List<Object> original,
      List<Object> patch,
      PatchSchema itemType,
      String mergeKey,
      boolean deleteList,
      String path)
      throws PatchException {
    if (original.isEmpty() && patch.isEmpty()) {
      return original;
    }
    Kind kind = itemKind(path, original, patch);
    List<Object> merged;
    List<Object> serverOrder = original;
    List<Object> patchOrder = patch;
    if (kind != Kind.MAP) {
      if (deleteList) {
        List<Object> kept = new ArrayList<>();
        for (Object item : original) {
          if (indexOf(patch, item, "", kind) < 0) {
            kept.add(item);
          }
        }
        return kept;
      }
      merged = new ArrayList<>();
      for (Object item : concat(original, patch)) {
        if (indexOf(merged, item, "", kind) < 0) {
          merged.add(item);
        }
      }
    } else {
      if (mergeKey.isEmpty()) {
        throw new PatchException(
            path,
            "a list of objects cannot be merged: the field has no merge key",
            "Give the whole list (it is replaced), or use strategy: json to change one item");
      }
      List<Object> remaining = new ArrayList<>(original);
      List<Object> items = new ArrayList<>();
      boolean replace = false;
      for (Object item : patch) {
        Map<String, Object> m = ValueTrees.map(item);
        if (!m.containsKey(DIRECTIVE)) {
          items.add(item);
          continue;
        }
        Object directive = m.get(DIRECTIVE);
        if ("delete".equals(directive)) {
          if (!m.containsKey(mergeKey)) {
            throw noMergeKey(path, m, mergeKey);
          }
          Object keyValue = m.get(mergeKey);
          remaining.removeIf(
              o ->
                  o instanceof Map<?, ?> om
                      && om.containsKey(mergeKey)
                      && Values.same(om.get(mergeKey), keyValue));
        } else if ("replace".equals(directive)) {
          replace = true;
        } else if ("merge".equals(directive)) {
          throw new PatchException(
              path,
              "$patch: merge is not supported in a list (kubectl refuses it too)",
              "Leave the directive out: lists with a merge key merge by default");
        } else {
          throw new PatchException(
              path,
              "unknown $patch directive " + Values.describe(directive) + " in a list item",
              FIX_DIRECTIVE);
        }
      }
      if (replace) {
        remaining = items;
        items = List.of();
      }
      serverOrder = remaining;
      patchOrder = items;
      merged = new ArrayList<>(remaining);
      for (Object item : items) {
        Map<String, Object> m = ValueTrees.map(item);
        if (!m.containsKey(mergeKey)) {
          throw noMergeKey(path, m, mergeKey);
        }
        int found = findByKey(merged, mergeKey, m.get(mergeKey), path);
        if (found >= 0) {
          merged.set(
              found,
              mergeMap(
                  ValueTrees.map(merged.get(found)),
                  m,
                  itemType,
                  path + "[" + mergeKey + "=" + m.get(mergeKey) + "]"));
        } else {
          merged.add(item);
        }
      }
    }
    List<Object> patchItems = new ArrayList<>();
    List<Object> serverOnly = new ArrayList<>();
    partition(merged, patchOrder, mergeKey, patchItems, serverOnly, path);
    return normalizeOrder(patchItems, serverOnly, patchOrder, serverOrder, mergeKey, kind, path);
  }

  /** Splits {@code merged} into the items {@code by} names and the others, keeping order. */
  private static void partition(
      List<Object> merged,
      List<Object> by,
      String mergeKey,
      List<Object> inBy,
      List<Object> notInBy,
      String path)
      throws PatchException {
    for (Object item : merged) {
      boolean found;
      if (mergeKey.isEmpty()) {
        found = indexOf(by, item, "", Kind.STRING) >= 0;
      } else {
        if (!(item instanceof Map<?, ?> m)) {
          throw notAnObject(path, item);
        }
        if (!m.containsKey(mergeKey)) {
          throw noMergeKey(path, m, mergeKey);
        }
        found = findByKey(by, mergeKey, m.get(mergeKey), path) >= 0;
      }
      (found ? inBy : notInBy).add(item);
    }
  }

  /**
   * Orders the patch's items as the patch (or {@code $setElementOrder}) does and the object's
   * others as the object does, then interleaves them: an object item goes before a patch item only
   * when the object lists both and has it first.
   */
  private static List<Object> normalizeOrder(
      List<Object> patchItems,
      List<Object> serverOnly,
      List<Object> patchOrder,
      List<Object> serverOrder,
      String mergeKey,
      Kind kind,
      String path)
      throws PatchException {
    List<Object> right = sortBy(patchItems, patchOrder, mergeKey, kind, path);
    List<Object> left = sortBy(serverOnly, serverOrder, mergeKey, kind, path);
    List<Object> all = new ArrayList<>(left.size() + right.size());
    int i = 0;
    int j = 0;
    while (i < left.size() || j < right.size()) {
      if (j >= right.size()) {
        all.add(left.get(i++));
      } else if (i >= left.size()) {
        all.add(right.get(j++));
      } else {
        int li = indexOf(serverOrder, left.get(i), mergeKey, kind);
        int ri = indexOf(serverOrder, right.get(j), mergeKey, kind);
        if (li >= 0 && ri >= 0 && li < ri) {
          all.add(left.get(i++));
        } else {
          all.add(right.get(j++));
        }
      }
    }
    return all;
  }

  /**
   * A stable sort by position in {@code order}, with Go's comparison (an item {@code order} lacks
   * counts as smaller), as an insertion sort so that even that inconsistent comparison gives Go's
   * result on lists of the sizes manifests have; {@code $patch: delete} items go last.
   */
  private static List<Object> sortBy(
      List<Object> items, List<Object> order, String mergeKey, Kind kind, String path)
      throws PatchException {
    List<Object> sorted = new ArrayList<>();
    List<Object> deletions = new ArrayList<>();
    if (kind == Kind.MAP) {
      for (List<Object> list : List.of(items, order)) {
        for (Object item : list) {
          if (!(item instanceof Map<?, ?> m)) {
            throw notAnObject(path, item);
          }
          if (!m.containsKey(mergeKey)) {
            throw noMergeKey(path, m, mergeKey);
          }
        }
      }
      for (Object item : items) {
        (isDeleteItem(item) ? deletions : sorted).add(item);
      }
    } else {
      sorted.addAll(items);
    }
    for (int i = 1; i < sorted.size(); i++) {
      for (int j = i;
          j > 0 && goLess(sorted.get(j), sorted.get(j - 1), order, mergeKey, kind);
          j--) {
        Object t = sorted.get(j);
        sorted.set(j, sorted.get(j - 1));
        sorted.set(j - 1, t);
      }
    }
    sorted.addAll(deletions);
    return sorted;
  }

  private static boolean goLess(Object a, Object b, List<Object> order, String key, Kind kind) {
    int ia = indexOf(order, a, key, kind);
    if (ia >= 0) {
      int ib = indexOf(order, b, key, kind);
      if (ib >= 0) {
        return ia < ib;
      }
    }
    return true;
  }

  private static boolean isDeleteItem(Object item) {
    return item instanceof Map<?, ?> m && "delete".equals(m.get(DIRECTIVE));
  }

  /** The position of {@code value} in {@code list}: by merge key for objects, else by value. */
  private static int indexOf(List<Object> list, Object value, String mergeKey, Kind kind) {
    Object wanted = kind == Kind.MAP ? keyOf(value, mergeKey) : value;
    for (int i = 0; i < list.size(); i++) {
      Object candidate = kind == Kind.MAP ? keyOf(list.get(i), mergeKey) : list.get(i);
      if (Values.same(wanted, candidate)) {
        return i;
      }
    }
    return -1;
  }

  private static Object keyOf(Object item, String mergeKey) {
    return item instanceof Map<?, ?> m ? m.get(mergeKey) : null;
  }

  private static int findByKey(List<Object> list, String mergeKey, Object value, String path)
      throws PatchException {
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw notAnObject(path, list.get(i));
      }
      if (m.containsKey(mergeKey) && Values.same(m.get(mergeKey), value)) {
        return i;
      }
    }
    return -1;
  }

  /** The kind of the items of both lists, which must agree and must not be lists. */
  private static Kind itemKind(String path, List<Object> a, List<Object> b) throws PatchException {
    Kind kind = null;
    for (Object item : concat(a, b)) {
      Kind k = kindOf(item);
      if (k == Kind.LIST || k == Kind.NULL) {
        throw new PatchException(
            path,
            "a merged list cannot hold " + (k == Kind.NULL ? "null" : "lists"),
            "Remove the null or nested list from the list");
      }
      if (kind == null) {
        kind = k;
      } else if (kind != k) {
        throw new PatchException(
            path,
            "the items of the list and of the patch are not all of one type ("
                + kind
                + ", "
                + k
                + ")",
            "Write the list's items in the patch the way the manifest has them");
      }
    }
    if (kind == null) {
      throw new PatchException(
          path,
          "$setElementOrder names a list that is empty in both the object and the patch",
          "Remove the $setElementOrder directive");
    }
    return kind;
  }

  private static List<Object> concat(List<Object> a, List<Object> b) {
    List<Object> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return all;
  }

  // ---- directives ----

  private static void applyRetainKeys(
      Map<String, Object> original, Map<String, Object> patch, String path) throws PatchException {
    if (!patch.containsKey(RETAIN_KEYS)) {
      return;
    }
    Object retain = patch.remove(RETAIN_KEYS);
    if (!(retain instanceof List<?> keys)) {
      throw new PatchException(
          path,
          "$retainKeys must be a list of key names, not " + Values.describe(retain),
          "Write $retainKeys as a list of the keys to keep");
    }
    Set<Object> kept = new HashSet<>(keys);
    for (Map.Entry<String, Object> e : patch.entrySet()) {
      String key = e.getKey();
      if (e.getValue() != null
          && !key.startsWith(DELETE_FROM_PRIMITIVE_LIST)
          && !key.startsWith(SET_ELEMENT_ORDER)
          && !kept.contains(key)) {
        throw new PatchException(
            path,
            "the patch sets " + key + " but $retainKeys " + keys + " does not keep it",
            "Add " + key + " to $retainKeys, or remove it from the patch");
      }
    }
    original.keySet().removeIf(k -> !kept.contains(k));
  }

  private static void applySetElementOrder(
      Map<String, Object> original, Map<String, Object> patch, PatchSchema schema, String path)
      throws PatchException {
    for (String key : List.copyOf(patch.keySet())) {
      if (!key.startsWith(SET_ELEMENT_ORDER)) {
        continue;
      }
      Object orderValue = patch.remove(key);
      String field = directiveField(key, SET_ELEMENT_ORDER, path);
      String at = join(path, field);
      if (!(orderValue instanceof List<?>)) {
        throw new PatchException(
            at,
            key + " must be a list, not " + Values.describe(orderValue),
            "Write " + key + " as the list's items (or their merge keys) in the order wanted");
      }
      List<Object> order = ValueTrees.list(orderValue);
      boolean inOriginal = original.containsKey(field);
      boolean inPatch = patch.containsKey(field);
      List<Object> originalList = inOriginal ? listAt(original.get(field), at) : List.of();
      List<Object> patchList = inPatch ? listAt(patch.get(field), at) : List.of();
      PatchSchema.Field meta = schema.field(field);
      String mergeKey = meta.mergeKey();
      checkOrderCoversPatch(patchList, order, mergeKey, key, at);
      List<Object> merged;
      if (inOriginal && !inPatch) {
        merged = originalList;
      } else if (!inOriginal && inPatch) {
        merged = ValueTrees.list(removeDirectives(patchList));
      } else if (inOriginal) {
        merged =
            meta.strategy().equals("merge")
                ? mergeList(originalList, patchList, meta.type(), mergeKey, false, at)
                : patchList;
      } else {
        continue;
      }
      List<Object> ordered = new ArrayList<>();
      List<Object> serverOnly = new ArrayList<>();
      partition(merged, order, mergeKey, ordered, serverOnly, at);
      Kind kind = itemKind(at, originalList, patchList);
      original.put(
          field, normalizeOrder(ordered, serverOnly, order, originalList, mergeKey, kind, at));
      patch.remove(field);
    }
  }

  /** The patch's items (but deletions) must appear in {@code $setElementOrder}, in that order. */
  private static void checkOrderCoversPatch(
      List<Object> patchList, List<Object> order, String mergeKey, String directive, String path)
      throws PatchException {
    if (order.isEmpty() || patchList.isEmpty()) {
      return;
    }
    List<Object> items = new ArrayList<>();
    for (Object item : patchList) {
      if (mergeKey.isEmpty() || !isDeleteItem(item)) {
        items.add(item);
      }
    }
    int p = 0;
    int o = 0;
    while (p < items.size() && o < order.size()) {
      Object item = items.get(p);
      if (item instanceof Map<?, ?> m && m.containsKey(DIRECTIVE)) {
        p++;
        continue;
      }
      boolean equal;
      if (mergeKey.isEmpty()) {
        equal = Values.same(item, order.get(o));
      } else {
        if (!(item instanceof Map<?, ?> im)) {
          throw notAnObject(path, item);
        }
        if (!(order.get(o) instanceof Map<?, ?> om)) {
          throw notAnObject(path, order.get(o));
        }
        if (!im.containsKey(mergeKey)) {
          throw noMergeKey(path, im, mergeKey);
        }
        if (!om.containsKey(mergeKey)) {
          throw noMergeKey(path, om, mergeKey);
        }
        equal = Values.same(im.get(mergeKey), om.get(mergeKey));
      }
      if (equal) {
        p++;
      }
      o++;
    }
    if (p < items.size()) {
      throw new PatchException(
          path,
          "the list's items in the patch are not all in " + directive + ", in the same order",
          "List every item the patch has in " + directive + ", in the patch's order");
    }
  }

  /** The field a {@code $directive/field} key names. */
  private static String directiveField(String key, String prefix, String path)
      throws PatchException {
    int slash = key.indexOf('/');
    if (slash < 0 || !key.substring(0, slash).equals(prefix)) {
      throw new PatchException(
          path,
          "the directive key " + key + " is not of the form " + prefix + "/<field>",
          "Write it as " + prefix + "/<field>, e.g. " + prefix + "/finalizers");
    }
    return key.substring(slash + 1);
  }

  /**
   * Drops every map (and list item) that holds {@code $patch}, as kubectl does for values that
   * nothing in the object merges with; {@link #DROP} if {@code value} itself is one.
   */
  private static Object removeDirectives(Object value) {
    if (value instanceof Map<?, ?> m) {
      if (m.containsKey(DIRECTIVE)) {
        return DROP;
      }
      Map<String, Object> map = ValueTrees.map(value);
      for (Iterator<Map.Entry<String, Object>> it = map.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Object> e = it.next();
        Object cleaned = removeDirectives(e.getValue());
        if (cleaned == DROP) {
          it.remove();
        } else {
          e.setValue(cleaned);
        }
      }
      return map;
    }
    if (value instanceof List<?>) {
      List<Object> kept = new ArrayList<>();
      for (Object item : ValueTrees.list(value)) {
        Object cleaned = removeDirectives(item);
        if (cleaned != DROP) {
          kept.add(cleaned);
        }
      }
      return kept;
    }
    return value;
  }

  /** Removes null map values at any depth, in maps inside lists too. */
  private static void discardNulls(Object value) {
    if (value instanceof Map<?, ?>) {
      Map<String, Object> map = ValueTrees.map(value);
      map.values().removeIf(v -> v == null);
      map.values().forEach(StrategicMergePatch::discardNulls);
    } else if (value instanceof List<?>) {
      ValueTrees.list(value).forEach(StrategicMergePatch::discardNulls);
    }
  }

  // ---- errors ----

  private static List<Object> listAt(Object value, String path) throws PatchException {
    if (value instanceof List<?>) {
      return ValueTrees.list(value);
    }
    throw new PatchException(
        path,
        "$setElementOrder names a field that is not a list: " + Values.describe(value),
        "Use $setElementOrder only on list fields");
  }

  private static PatchException noMergeKey(String path, Map<?, ?> item, String mergeKey) {
    return new PatchException(
        path, "the item " + Values.describe(item) + " has no merge key " + mergeKey, FIX_MERGE_KEY);
  }

  private static PatchException notAnObject(String path, Object item) {
    return new PatchException(
        path,
        "the list is merged by key, but its item " + Values.describe(item) + " is not an object",
        "Write the list's items as objects with their merge key");
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
