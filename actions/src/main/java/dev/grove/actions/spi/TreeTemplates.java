package dev.grove.actions.spi;

/**
 * Resolves the {@code ${...}} template strings inside a parsed YAML tree with an action's template
 * context (the orchestrator implements it); for templated manifest files.
 */
@FunctionalInterface
public interface TreeTemplates {

  /** Leaves trees as they are. */
  TreeTemplates NONE = (tree, where) -> tree;

  /**
   * A new tree with the templates resolved; the given one is not changed.
   *
   * @param where names the tree in errors, e.g. {@code backend/deployment.yml document 2}
   * @throws ActionException a template cannot be resolved; the message names {@code where}
   */
  Object resolve(Object tree, String where) throws ActionException;
}
