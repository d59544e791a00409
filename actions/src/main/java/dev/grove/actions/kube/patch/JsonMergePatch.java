package dev.grove.actions.kube.patch;

import dev.grove.api.value.ValueTrees;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON merge patch (RFC 7386): objects merge key by key, {@code null} deletes a key, anything else
 * (lists included) replaces. Neither argument is changed; the result shares nothing with them.
 */
public final class JsonMergePatch {

  private JsonMergePatch() {}

  /** Applies {@code patch} to an object; a patch that is not an object must not be used here. */
  public static Map<String, Object> apply(Map<String, Object> target, Map<String, Object> patch)
      throws PatchException {
    return ValueTrees.map(apply((Object) target, patch));
  }

  /** Applies {@code patch} to any JSON value, as RFC 7386 section 2 defines it. */
  public static Object apply(Object target, Object patch) throws PatchException {
    return merge(Values.copy(target), Values.copy(patch));
  }

  private static Object merge(Object target, Object patch) {
    if (!(patch instanceof Map<?, ?>)) {
      return patch;
    }
    Map<String, Object> result =
        target instanceof Map<?, ?> ? ValueTrees.map(target) : new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : ValueTrees.map(patch).entrySet()) {
      if (e.getValue() == null) {
        result.remove(e.getKey());
      } else {
        result.put(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }
}
