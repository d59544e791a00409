package dev.grove.orchestrator.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * One YAML document of a config file.
 *
 * @param file the file, absolute
 * @param displayFile the file as messages show it (relative to the project root)
 * @param index 0-based position of the document in its file
 * @param content the document as maps, lists and scalars
 * @param locations where each value was written
 * @param templateScope for a config a template rendered, what its template files see besides the
 *     action's context ({@code inputs}, {@code parent}, {@code template}); empty otherwise
 */
public record ConfigDocument(
    Path file,
    String displayFile,
    int index,
    Map<String, Object> content,
    SourceMap locations,
    Map<String, Object> templateScope) {

  public ConfigDocument(
      Path file, String displayFile, int index, Map<String, Object> content, SourceMap locations) {
    this(file, displayFile, index, content, locations, Map.of());
  }
}
