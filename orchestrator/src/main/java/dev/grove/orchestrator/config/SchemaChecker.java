package dev.grove.orchestrator.config;

import dev.grove.actions.spi.Schema;
import java.util.List;
import java.util.Map;

/**
 * Checks a config section against its {@link Schema}: a key that Garden's schema does not have is
 * an error with a did-you-mean; a Garden key that Grove does not act on yet is a warning.
 * Structural template keys ({@code $merge}, {@code $if}, ...) are allowed anywhere.
 */
final class SchemaChecker {

  private final ConfigDocument document;
  private final Diagnostics diagnostics;

  SchemaChecker(ConfigDocument document, Diagnostics diagnostics) {
    this.document = document;
    this.diagnostics = diagnostics;
  }

  void check(Object value, Schema schema, String path, String what) {
    if (schema instanceof Schema.ListOf listOf) {
      if (value instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          check(list.get(i), listOf.item(), SourceMap.child(path, i), what);
        }
      }
    } else if (schema instanceof Schema.Obj obj && value instanceof Map<?, ?> map) {
      List<String> known = Schema.keys(obj);
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = entry.getKey().toString();
        String child = SourceMap.child(path, key);
        if (key.startsWith("$")) {
          continue;
        }
        Schema field = obj.fields().get(key);
        if (field == null) {
          diagnostics.error(
              document,
              child,
              ConfigCodes.UNKNOWN_FIELD,
              "Unknown field `" + child + "` in " + what + ".",
              Problems.didYouMean(key, known, "fields here"));
        } else if (obj.notActedOn().contains(key)) {
          diagnostics.warning(
              document,
              child,
              ConfigCodes.GROVE_NOT_ACTED_ON,
              "`" + child + "` of " + what + " is accepted but Grove does not act on it yet.",
              "It is ignored for now; remove it to silence this warning.");
        } else {
          check(entry.getValue(), field, child, what);
        }
      }
    }
  }
}
