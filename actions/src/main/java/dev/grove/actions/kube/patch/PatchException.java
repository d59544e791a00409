package dev.grove.actions.kube.patch;

import static dev.grove.actions.spi.ActionCodes.INVALID_SPEC;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;

/**
 * A patch could not be applied to a manifest: the patch is malformed, or it does not fit the
 * object. The code is {@link ActionCodes#INVALID_SPEC}: the fix is always in the action's {@code
 * patchResources}.
 */
public final class PatchException extends ActionException {
  private static final long serialVersionUID = 1L;

  private final String path;

  /**
   * @param path where it failed: a field path in the object ({@code
   *     spec.template.spec.containers[name=web]}) or a JSON patch operation; empty for the whole
   *     object
   */
  public PatchException(String path, String message, String suggestion) {
    this(path, path.isEmpty() ? message : "at " + path + ": " + message, suggestion, true);
  }

  /** The flag only tells this constructor from the public one. */
  private PatchException(String path, String fullMessage, String suggestion, boolean preformatted) {
    super(INVALID_SPEC, fullMessage, suggestion);
    this.path = path;
  }

  /** Where it failed; empty for the whole object. */
  public String path() {
    return path;
  }

  /** The same failure, its message prefixed with the resource it happened in. */
  PatchException in(String resource) {
    return new PatchException(path, resource + ": " + getMessage(), suggestion(), true);
  }
}
