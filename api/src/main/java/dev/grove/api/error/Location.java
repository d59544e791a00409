package dev.grove.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a problem is: a file (relative to the project root when inside it), a 1-based line and
 * column (0 when unknown), and the property path inside the document ({@code spec.ports[0]}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Location(String file, int line, int column, String path) {

  /** {@code file:line:column} as editors and terminals link it. */
  public String describe() {
    StringBuilder out = new StringBuilder(file == null ? "<unknown>" : file);
    if (line > 0) {
      out.append(':').append(line);
      if (column > 0) {
        out.append(':').append(column);
      }
    }
    return out.toString();
  }
}
