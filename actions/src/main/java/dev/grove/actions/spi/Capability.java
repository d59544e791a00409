package dev.grove.actions.spi;

import java.util.EnumSet;
import java.util.Set;

/**
 * An operation the router can send to an action type's handler. Every handler has {@link #STATUS}
 * and {@link #PROCESS}; the others are the optional capability interfaces it implements.
 */
public enum Capability {
  STATUS,
  PROCESS,
  /** {@link ActionHandler.Renderer}: what a Deploy would apply ({@code grove render}). */
  RENDER,
  /** {@link Cleanable}: undo a Deploy ({@code grove delete deploy}). */
  DELETE,
  /** {@link ActionHandler.Publisher}: publish a Build's artifact ({@code grove publish}). */
  PUBLISH,
  /** {@link DeployLogs}: read and follow what a Deploy's processes log ({@code grove logs}). */
  LOGS,
  /**
   * {@link ActionHandler.ResultReader}: a Test's or Run's last result ({@code grove get
   * test-result}).
   */
  RESULTS;

  /** What a handler declares by the capability interfaces it implements. */
  public static Set<Capability> of(ActionHandler handler) {
    Set<Capability> capabilities = EnumSet.of(STATUS, PROCESS);
    if (handler instanceof ActionHandler.Renderer) {
      capabilities.add(RENDER);
    }
    if (handler instanceof Cleanable) {
      capabilities.add(DELETE);
    }
    if (handler instanceof ActionHandler.Publisher) {
      capabilities.add(PUBLISH);
    }
    if (handler instanceof DeployLogs) {
      capabilities.add(LOGS);
    }
    if (handler instanceof ActionHandler.ResultReader) {
      capabilities.add(RESULTS);
    }
    return Set.copyOf(capabilities);
  }
}
