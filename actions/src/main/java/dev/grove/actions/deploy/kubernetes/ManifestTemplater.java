package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.spi.ActionException;

/**
 * Resolves the {@code ${...}} template strings of one document of a {@code manifestTemplates} (or
 * {@code files}) file. The orchestrator implements it with the action's template context.
 *
 * <p>Garden substitutes template strings into the raw text of the file and parses the result, so a
 * multi-line or structured value breaks the YAML (garden issue 5266) and objects must be written
 * {@code ${jsonEncode(var.obj)}}. Grove parses first and resolves the strings inside the parsed
 * tree, so the YAML stays valid whatever a value holds. A scalar that is exactly one {@code ${...}}
 * keeps the type of its value (object, list, number), as everywhere in Grove.
 *
 * <p>Garden users write {@code key: ${jsonEncode(var.obj)}} and get an object, because Garden's
 * YAML parser reads the substituted JSON text. Keeping that working is the implementation's
 * business (it knows which function produced a value); the manifest pipeline does nothing special
 * with what this returns.
 */
@FunctionalInterface
public interface ManifestTemplater {

  /** Leaves documents as they are. */
  ManifestTemplater NONE = (document, file, documentIndex) -> document;

  /**
   * The document with its template strings resolved; neither the document nor anything in it may be
   * changed in place. Null drops the document (as an empty one).
   *
   * @param document a parsed YAML document: a map, a list or a scalar, never null
   * @param file the file's path relative to the build folder, as the spec lists it ({@code
   *     backend/deployment.yml}), for error messages
   * @param documentIndex the document's place in the file, from 0, counting empty documents
   * @throws ActionException a template string cannot be resolved; the message should name the file
   *     and the document
   */
  Object resolve(Object document, String file, int documentIndex) throws ActionException;
}
