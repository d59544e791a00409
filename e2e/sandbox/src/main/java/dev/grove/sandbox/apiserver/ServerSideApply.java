package dev.grove.sandbox.apiserver;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Server-side apply as the mock API server approximates it.
 *
 * <p>What is real: each field manager's applied fields are recorded in {@code
 * metadata.managedFields} (operation {@code Apply}, {@code FieldsV1} in the API server's format:
 * {@code f:name}, {@code k:{"name":"web"}} for items of merged lists, {@code v:"x"} for items of
 * sets). On re-apply, fields the manager applied before and no longer applies are removed, unless
 * another applier owns them too; a list item it no longer applies goes as a whole. The applied
 * configuration is then merged into the live object: objects field by field, lists with a merge key
 * (containers by name, env by name, container ports by containerPort, ...) item by item, other
 * lists and scalars replaced. A field owned by another applier with a different value is a 409
 * conflict unless {@code force=true}, which moves the field to the new manager.
 *
 * <p>What is approximated: the merge is Grove's strategic merge patch (its merge keys stand in for
 * the OpenAPI list types, so multi-key lists such as container ports key on {@code containerPort}
 * alone); custom resources merge as JSON merge patch (all their lists atomic). Only {@code Apply}
 * managers are tracked: writes by update/patch/create record no ownership, so their fields never
 * conflict and are removed only if an applier owned them before. Nothing is defaulted, so a removed
 * {@code spec.replicas} stays absent rather than becoming 1. Null values in the applied
 * configuration are dropped.
 */
final class ServerSideApply {

  static final String OPERATION = "Apply";

  /** Fields nobody owns: identity, server-set metadata and the status subresource. */
  private static final Set<String> UNOWNED_ROOT = Set.of("apiVersion", "kind", "status");

  private static final Set<String> UNOWNED_METADATA =
      Set.of(
          "name",
          "namespace",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "selfLink",
          "managedFields");

  /** Fields of other appliers that the applied configuration sets to other values. */
  static final class ConflictException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> fields;

    ConflictException(String manager, String apiVersion, List<String> fields) {
      super(
          "Apply failed with "
              + fields.size()
              + (fields.size() == 1 ? " conflict" : " conflicts")
              + ": conflict with \""
              + manager
              + "\" using "
              + apiVersion
              + ": "
              + String.join(", ", fields));
      this.fields = List.copyOf(fields);
    }

    List<String> fields() {
      return fields;
    }
  }

  private final String apiVersion;
  private final String kind;
  private final PatchRules rules;

  private ServerSideApply(PatchRules rules, String apiVersion, String kind) {
    this.rules = rules;
    this.apiVersion = apiVersion;
    this.kind = kind;
  }

  /**
   * The object to store after {@code manager} applies {@code applied} to {@code live} (null: the
   * object does not exist yet). Neither argument is changed.
   */
  static Map<String, Object> apply(
      PatchRules rules,
      Map<String, Object> live,
      Map<String, Object> applied,
      String manager,
      boolean force,
      Instant now)
      throws ConflictException, PatchRules.InvalidPatch {
    String apiVersion = String.valueOf(applied.get("apiVersion"));
    String kind = String.valueOf(applied.get("kind"));
    return new ServerSideApply(rules, apiVersion, kind).run(live, applied, manager, force, now);
  }

  private Map<String, Object> run(
      Map<String, Object> live,
      Map<String, Object> applied,
      String manager,
      boolean force,
      Instant now)
      throws ConflictException, PatchRules.InvalidPatch {
    Map<String, Object> config = Json.map(Json.withoutNulls(applied));
    config.remove("status");
    Map<String, Object> owned = fields(config, List.of());

    if (live == null) {
      Map<String, Object> created = Json.copyMap(config);
      Json.child(created, "metadata").put("managedFields", List.of(entry(manager, owned, now)));
      return created;
    }

    Map<String, Object> object = Json.copyMap(live);
    List<Map<String, Object>> entries = new ArrayList<>();
    if (Json.at(object, "metadata", "managedFields") instanceof List<?> list) {
      list.forEach(e -> entries.add(Json.copyMap(Json.map(e))));
    }
    Map<String, Object> previous = Map.of();
    List<Map<String, Object>> others = new ArrayList<>();
    for (Map<String, Object> e : entries) {
      if (!OPERATION.equals(e.get("operation")) || !(e.get("fieldsV1") instanceof Map<?, ?>)) {
        continue;
      }
      if (manager.equals(e.get("manager"))) {
        previous = Json.map(e.get("fieldsV1"));
      } else {
        others.add(e);
      }
    }

    for (Map<String, Object> other : others) {
      List<List<String>> conflicts = new ArrayList<>();
      for (List<String> path : leaves(Json.map(other.get("fieldsV1")), List.of())) {
        Optional<Object> wanted = valueAt(config, path);
        if (wanted.isPresent()
            && !valueAt(object, path).map(v -> Json.same(v, wanted.get())).orElse(false)) {
          conflicts.add(path);
        }
      }
      if (conflicts.isEmpty()) {
        continue;
      }
      if (!force) {
        throw new ConflictException(
            String.valueOf(other.get("manager")),
            apiVersion,
            conflicts.stream().map(ServerSideApply::render).toList());
      }
      Map<String, Object> set = Json.map(other.get("fieldsV1"));
      conflicts.forEach(path -> removeNode(set, path));
    }

    List<Map<String, Object>> otherSets =
        others.stream().map(o -> Json.map(o.get("fieldsV1"))).toList();
    prune(object, previous, owned, otherSets);

    Map<String, Object> merged = rules.merge(apiVersion, kind, object, config, true);

    List<Map<String, Object>> kept = new ArrayList<>();
    boolean replaced = false;
    for (Map<String, Object> e : entries) {
      if (OPERATION.equals(e.get("operation")) && manager.equals(e.get("manager"))) {
        kept.add(entry(manager, owned, now));
        replaced = true;
      } else if (!(e.get("fieldsV1") instanceof Map<?, ?> set) || !set.isEmpty()) {
        kept.add(e);
      }
    }
    if (!replaced) {
      kept.add(entry(manager, owned, now));
    }
    Json.child(merged, "metadata").put("managedFields", kept);
    return merged;
  }

  private Map<String, Object> entry(String manager, Map<String, Object> fields, Instant now) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("manager", manager);
    entry.put("operation", OPERATION);
    entry.put("apiVersion", apiVersion);
    entry.put("time", now.truncatedTo(ChronoUnit.SECONDS).toString());
    entry.put("fieldsType", "FieldsV1");
    entry.put("fieldsV1", fields);
    return entry;
  }

  // ---- the field set of an applied configuration ----

  /** The FieldsV1 set of an object's fields; {@code names} is the field path to it. */
  private Map<String, Object> fields(Map<String, Object> object, List<String> names) {
    Map<String, Object> set = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : object.entrySet()) {
      if (names.isEmpty() && UNOWNED_ROOT.contains(e.getKey())
          || names.equals(List.of("metadata")) && UNOWNED_METADATA.contains(e.getKey())) {
        continue;
      }
      Map<String, Object> field = field(e.getValue(), append(names, e.getKey()));
      if (!(names.isEmpty() && e.getKey().equals("metadata") && field.isEmpty())) {
        set.put("f:" + e.getKey(), field); // metadata with only the name is owned by nobody
      }
    }
    return set;
  }

  private Map<String, Object> field(Object value, List<String> names) {
    if (value instanceof Map<?, ?> m) {
      return fields(Json.map(m), names);
    }
    Map<String, Object> set = new LinkedHashMap<>();
    if (value instanceof List<?> items) {
      Optional<String> mergeKey = rules.mergeKeys().of(apiVersion, kind, names);
      if (mergeKey.isEmpty()) {
        return set; // atomic: owned as a whole
      }
      for (Object item : items) {
        if (mergeKey.get().isEmpty() || !(item instanceof Map<?, ?>)) {
          set.put("v:" + Json.write(item), new LinkedHashMap<>());
        } else {
          Map<String, Object> key = new LinkedHashMap<>();
          key.put(mergeKey.get(), Json.map(item).get(mergeKey.get()));
          Map<String, Object> itemSet = new LinkedHashMap<>();
          itemSet.put(".", new LinkedHashMap<>());
          itemSet.putAll(fields(Json.map(item), names));
          set.put("k:" + Json.write(key), itemSet);
        }
      }
    }
    return set;
  }

  private static List<String> append(List<String> names, String name) {
    List<String> longer = new ArrayList<>(names);
    longer.add(name);
    return List.copyOf(longer);
  }

  // ---- walking field sets against objects ----

  /**
   * Removes from {@code value} what {@code previous} owned and {@code next} does not, keeping what
   * one of {@code others} (the same place in other appliers' sets) owns.
   */
  private static void prune(
      Object value,
      Map<String, Object> previous,
      Map<String, Object> next,
      List<Map<String, Object>> others) {
    for (Map.Entry<String, Object> e : previous.entrySet()) {
      String key = e.getKey();
      if (key.equals(".") || !(e.getValue() instanceof Map<?, ?> before)) {
        continue;
      }
      Map<String, Object> after =
          next != null && next.get(key) instanceof Map<?, ?> n ? Json.map(n) : null;
      List<Map<String, Object>> shared =
          others.stream()
              .filter(o -> o.get(key) instanceof Map<?, ?>)
              .map(o -> Json.map(o.get(key)))
              .toList();
      boolean drop = after == null && shared.isEmpty();
      if (key.startsWith("f:") && value instanceof Map<?, ?> m) {
        String name = key.substring(2);
        if (drop) {
          m.remove(name);
        } else if (m.containsKey(name)) {
          prune(m.get(name), Json.map(before), after, shared);
        }
      } else if ((key.startsWith("k:") || key.startsWith("v:")) && value instanceof List<?> l) {
        int index = indexOf(l, key);
        if (index < 0) {
          continue;
        }
        if (drop) {
          l.remove(index);
        } else {
          prune(l.get(index), Json.map(before), after, shared);
        }
      }
    }
  }

  /** The paths to the fields a set owns (not to the objects and items that hold them). */
  private static List<List<String>> leaves(Map<String, Object> set, List<String> path) {
    List<List<String>> leaves = new ArrayList<>();
    for (Map.Entry<String, Object> e : set.entrySet()) {
      if (e.getKey().equals(".") || !(e.getValue() instanceof Map<?, ?> child)) {
        continue;
      }
      List<String> at = append(path, e.getKey());
      if (child.isEmpty()) {
        leaves.add(at);
      } else {
        leaves.addAll(leaves(Json.map(child), at)); // an item's "." owns no value
      }
    }
    return leaves;
  }

  private static Optional<Object> valueAt(Object value, List<String> path) {
    Object at = value;
    for (String key : path) {
      if (key.startsWith("f:") && at instanceof Map<?, ?> m && m.containsKey(key.substring(2))) {
        at = m.get(key.substring(2));
      } else if (at instanceof List<?> l && indexOf(l, key) >= 0) {
        at = l.get(indexOf(l, key));
      } else {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(at);
  }

  /** Removes the node at {@code path} and the objects that it leaves empty. */
  private static void removeNode(Map<String, Object> set, List<String> path) {
    String key = path.get(0);
    if (path.size() == 1) {
      set.remove(key);
    } else if (set.get(key) instanceof Map<?, ?> child) {
      removeNode(Json.map(child), path.subList(1, path.size()));
      if (child.isEmpty()) {
        set.remove(key);
      }
    }
  }

  /** The index of the item a {@code k:} or {@code v:} key names, or -1. */
  private static int indexOf(List<?> items, String key) {
    Object wanted = Json.parseValue(key.substring(2));
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (key.startsWith("v:") ? Json.same(item, wanted) : matches(item, Json.map(wanted))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean matches(Object item, Map<String, Object> key) {
    return item instanceof Map<?, ?> m
        && key.entrySet().stream().allMatch(k -> Json.same(m.get(k.getKey()), k.getValue()));
  }

  /** A field path as the API server writes it in conflicts: {@code .spec.containers[name="a"]}. */
  private static String render(List<String> path) {
    StringBuilder s = new StringBuilder();
    for (String key : path) {
      if (key.startsWith("f:")) {
        s.append('.').append(key.substring(2));
      } else if (key.startsWith("k:")) {
        Json.map(Json.parseValue(key.substring(2)))
            .forEach(
                (k, v) -> s.append('[').append(k).append('=').append(Json.write(v)).append(']'));
      } else {
        s.append('[').append(key.substring(2)).append(']');
      }
    }
    return s.toString();
  }
}
