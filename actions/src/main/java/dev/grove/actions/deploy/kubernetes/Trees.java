package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.value.ValueTrees;
import java.util.Map;

/**
 * Deep copies of manifests, keeping key order. The pipeline works on its own copies, so neither the
 * spec nor what a templater returns is ever changed.
 */
final class Trees {

  private Trees() {}

  /** A deep copy that cannot be changed. */
  static Object frozen(Object value, String where) throws ActionException {
    return ValueTrees.copyJson(value, true, notJson -> notJson(where, notJson));
  }

  /** A deep copy of an object that cannot be changed. */
  static Map<String, Object> frozenMap(Object value, String where) throws ActionException {
    return ValueTrees.map(frozen(value, where));
  }

  /** A deep copy into LinkedHashMap and ArrayList, to be changed. */
  static Object mutable(Object value, String where) throws ActionException {
    return ValueTrees.copyJson(value, false, notJson -> notJson(where, notJson));
  }

  private static ActionException notJson(String where, ValueTrees.NotJson notJson) {
    Object what = notJson.what();
    return new ActionException(
        ActionCodes.INVALID_SPEC,
        where
            + (notJson.path().isEmpty() ? "" : " at " + notJson.path())
            + " "
            + (notJson.badKey()
                ? "has the key " + what + ", which is not a string"
                : "is " + ValueTrees.describe(what) + " (" + what.getClass().getSimpleName() + ")")
            + "; a manifest holds JSON values.",
        "Write the value as a string, number, boolean, list or map.");
  }
}
