package dev.grove.actions.spi;

/**
 * An optional capability of a Deploy handler (and its type): undo the deploy, for {@code grove
 * cleanup deploy} (alias {@code delete deploy}). Blocks like the handler's other operations.
 * Deploy/exec runs its cleanupCommand; Kubernetes Deploys delete what their inventory names.
 */
public interface Cleanable {

  /** Removes what the deploy made; does nothing when there is nothing to remove. */
  void cleanup(ActionContext context) throws ActionException;
}
