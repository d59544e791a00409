package dev.grove.actions.build.container;

import com.google.cloud.tools.jib.api.RegistryImage;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;

/**
 * Where the base image of a {@code FROM} comes from: the caller knows the registries and their
 * credentials, the plan only knows the reference.
 */
@FunctionalInterface
public interface BaseImages {

  /** The image for {@code imageReference} ({@code image[:tag|@digest]}), with credentials. */
  RegistryImage resolve(String imageReference) throws ActionException;

  /** Anonymous pulls (public images, or a test registry without auth). */
  static BaseImages anonymous() {
    return reference -> {
      try {
        return RegistryImage.named(reference);
      } catch (com.google.cloud.tools.jib.api.InvalidImageReferenceException e) {
        throw new ActionException(
            ActionCodes.INVALID_SPEC,
            "'" + reference + "' is not a valid image reference.",
            "Write FROM as image[:tag|@digest], e.g. alpine:3.20.");
      }
    };
  }
}
