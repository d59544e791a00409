package dev.grove.sandbox.apiserver;

import java.util.Map;

/**
 * A field selector ({@code involvedObject.name=web,type!=Normal}) matched against an object, as the
 * API server does for the fields it indexes: each requirement compares the field's value as text, a
 * missing field being the empty string. The real server refuses fields a kind does not index; this
 * one accepts any path.
 */
final class FieldSelector {

  private FieldSelector() {}

  static boolean matches(String selector, Map<String, Object> object) {
    for (String requirement : selector.split(",")) {
      if (requirement.isBlank()) {
        continue;
      }
      boolean negated = requirement.contains("!=");
      String[] parts = requirement.split(negated ? "!=" : "==?", 2);
      String field = parts[0].trim();
      String wanted = parts.length > 1 ? parts[1].trim() : "";
      Object value = Json.at(object, field.split("\\."));
      String actual = value == null ? "" : value.toString();
      if (actual.equals(wanted) == negated) {
        return false;
      }
    }
    return true;
  }
}
