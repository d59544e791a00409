package dev.grove.actions.kube.patch;

import dev.grove.api.value.ValueTrees;
import java.util.List;
import java.util.Map;

/**
 * Applies one {@code patchResources} entry's patch to a manifest, client-side: {@code strategic}
 * (the default), {@code merge} or {@code json}, as {@code kubectl patch --local --type ...} would.
 *
 * <p>A strategic patch on a kind Grove has no merge keys for (a custom resource) is applied as a
 * JSON merge patch. kubectl refuses it instead ("try --type merge"), as does the API server, since
 * nobody knows such a kind's merge keys; but with no merge keys a strategic merge patch is a JSON
 * merge patch (objects merged, lists replaced, null deletes), so the patch means the same. Helm
 * falls back the same way for unstructured objects. Only the strategic directives ({@code $patch},
 * {@code $retainKeys}, ...) have no meaning there, so a patch using them is refused rather than
 * written into the resource.
 */
public final class Patches {

  public static final String STRATEGIC = "strategic";
  public static final String MERGE = "merge";
  public static final String JSON = "json";

  private Patches() {}

  /**
   * The object with the patch applied; neither argument is changed.
   *
   * @param strategy {@code strategic}, {@code merge} or {@code json}; null means {@code strategic}
   * @param patch an object for {@code strategic} and {@code merge}, a list of operations for {@code
   *     json}
   */
  public static Map<String, Object> apply(Map<String, Object> object, String strategy, Object patch)
      throws PatchException {
    String resource = object.get("kind") + "/" + name(object);
    String s = strategy == null ? STRATEGIC : strategy;
    try {
      switch (s) {
        case STRATEGIC:
          {
            Map<String, Object> p = objectPatch(s, patch);
            if (StrategicMergePatch.supports(
                String.valueOf(object.get("apiVersion")), String.valueOf(object.get("kind")))) {
              return StrategicMergePatch.apply(object, p);
            }
            String directive = findDirective(p, "");
            if (directive != null) {
              throw new PatchException(
                  directive,
                  "strategic merge directives need the merge keys of the kind, and Grove knows"
                      + " them for built-in kinds only, not for "
                      + object.get("apiVersion")
                      + " "
                      + object.get("kind"),
                  "Use strategy: json to remove or reorder items, or strategy: merge with"
                      + " whole lists");
            }
            return JsonMergePatch.apply(object, p);
          }
        case MERGE:
          return JsonMergePatch.apply(object, objectPatch(s, patch));
        case JSON:
          if (!(patch instanceof List<?> operations)) {
            throw new PatchException(
                "",
                "a json patch must be a list of operations, not " + Values.describe(patch),
                "Write the patch as a list: - {op: replace, path: /spec/replicas, value: 2}");
          }
          return JsonPatch.apply(object, operations);
        default:
          throw new PatchException(
              "",
              "unknown patch strategy " + s,
              "Use strategy: strategic (the default), merge or json");
      }
    } catch (PatchException e) {
      throw e.in(resource);
    }
  }

  private static Map<String, Object> objectPatch(String strategy, Object patch)
      throws PatchException {
    if (patch instanceof Map<?, ?>) {
      return ValueTrees.map(patch);
    }
    throw new PatchException(
        "",
        "a " + strategy + " patch must be an object, not " + Values.describe(patch),
        "Write the patch as the part of the manifest to change, e.g. {spec: {replicas: 2}}");
  }

  private static Object name(Map<String, Object> object) {
    return object.get("metadata") instanceof Map<?, ?> m ? m.get("name") : null;
  }

  /** The path of the first strategic-merge directive in the patch, or null. */
  private static String findDirective(Object value, String path) {
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String key = String.valueOf(e.getKey());
        String at = path.isEmpty() ? key : path + "." + key;
        if (key.equals(StrategicMergePatch.DIRECTIVE)
            || key.equals(StrategicMergePatch.RETAIN_KEYS)
            || key.startsWith(StrategicMergePatch.DELETE_FROM_PRIMITIVE_LIST + "/")
            || key.startsWith(StrategicMergePatch.SET_ELEMENT_ORDER + "/")) {
          return at;
        }
        String inner = findDirective(e.getValue(), at);
        if (inner != null) {
          return inner;
        }
      }
    } else if (value instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        String inner = findDirective(l.get(i), path + "[" + i + "]");
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }
}
