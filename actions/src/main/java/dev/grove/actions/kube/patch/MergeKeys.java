package dev.grove.actions.kube.patch;

import java.util.List;
import java.util.Optional;

/**
 * The merge keys Grove's strategic merge patch knows ({@link PatchSchema}), for the sandbox API
 * server's server-side apply (e2e/sandbox's {@code PatchRules}), which must tell a merged list from
 * an atomic one.
 */
public final class MergeKeys {

  private MergeKeys() {}

  /**
   * How the list at {@code fields} (field names from the object's root; list items add no name)
   * merges: its merge key, {@code ""} for a merged list of scalars (a set), empty when the list is
   * replaced as a whole or the kind is unknown (custom resources).
   */
  public static Optional<String> of(String apiVersion, String kind, List<String> fields) {
    Optional<PatchSchema> type = PatchSchema.forKind(apiVersion, kind);
    if (type.isEmpty() || fields.isEmpty()) {
      return Optional.empty();
    }
    PatchSchema schema = type.get();
    PatchSchema.Field field = null;
    for (String name : fields) {
      field = schema.field(name);
      schema = field.type();
    }
    return "merge".equals(field.strategy()) ? Optional.of(field.mergeKey()) : Optional.empty();
  }
}
