package dev.grove.actions.deploy.exec;

import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;

/**
 * An optional capability of a Deploy handler (and its type): undo the deploy, for {@code grove
 * cleanup deploy} (alias {@code delete deploy}). Blocks like the handler's other operations.
 *
 * <p>Defined here while {@code Deploy/exec} is its only user; it belongs in {@code spi} once a
 * second Deploy type has it.
 */
public interface Cleanable {

  /** Removes what the deploy made; does nothing when there is nothing to remove. */
  void cleanup(ActionContext context) throws ActionException;
}
