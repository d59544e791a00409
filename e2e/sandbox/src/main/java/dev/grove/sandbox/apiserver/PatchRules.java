package dev.grove.sandbox.apiserver;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the API server merges, which the simulation takes from Grove's own implementation (actions'
 * {@code kube.patch}) instead of depending on it, so that actions' tests can run on the simulation:
 * {@code new PatchRules(StrategicMergePatch::supports, StrategicMergePatch::apply,
 * JsonMergePatch::apply, MergeKeys::of)}.
 *
 * @param strategic whether a kind has a strategic-merge schema (the built-in kinds)
 * @param strategicMerge a strategic merge patch applied to an object
 * @param jsonMerge an RFC 7386 merge patch applied to an object
 * @param mergeKeys how the list at a path merges: its merge key, {@code ""} for a set of scalars,
 *     empty when the list is replaced as a whole
 */
public record PatchRules(
    Kinds strategic, Merge strategicMerge, Merge jsonMerge, MergeKeys mergeKeys) {

  public PatchRules {
    Objects.requireNonNull(strategic, "strategic");
    Objects.requireNonNull(strategicMerge, "strategicMerge");
    Objects.requireNonNull(jsonMerge, "jsonMerge");
    Objects.requireNonNull(mergeKeys, "mergeKeys");
  }

  /** Whether {@code apiVersion}/{@code kind} has a strategic-merge schema. */
  @FunctionalInterface
  public interface Kinds {
    boolean test(String apiVersion, String kind);
  }

  /**
   * A merge of {@code patch} into {@code object}; a checked exception is a patch the server
   * refuses.
   */
  @FunctionalInterface
  public interface Merge {
    Map<String, Object> apply(Map<String, Object> object, Map<String, Object> patch)
        throws Exception;
  }

  /** The merge key of the list at {@code fields} of a kind. */
  @FunctionalInterface
  public interface MergeKeys {
    Optional<String> of(String apiVersion, String kind, List<String> fields);
  }

  /** A patch the API server refuses (422); the message says why. */
  static final class InvalidPatch extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidPatch(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * {@code patch} merged into {@code object}: strategically when {@code strategicWanted} and the
   * kind has a schema, else as an RFC 7386 merge patch.
   */
  Map<String, Object> merge(
      String apiVersion,
      String kind,
      Map<String, Object> object,
      Map<String, Object> patch,
      boolean strategicWanted)
      throws InvalidPatch {
    Merge merge = strategicWanted && strategic.test(apiVersion, kind) ? strategicMerge : jsonMerge;
    try {
      return merge.apply(object, patch);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new InvalidPatch(e.getMessage(), e);
    }
  }
}
