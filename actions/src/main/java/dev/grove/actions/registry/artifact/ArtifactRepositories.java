package dev.grove.actions.registry.artifact;

import dev.grove.actions.registry.GoogleAdc;
import dev.grove.actions.spi.ActionException;
import java.util.Map;

/**
 * Makes sure an Artifact Registry repository exists (and is a Docker one) before a push: a missing
 * repository is a clear error naming it and the fix, or is created when the provider's {@code
 * deploymentRegistry.createRepository} says so.
 */
@FunctionalInterface
public interface ArtifactRepositories {

  void ensure(ArtifactRegistryImage image, boolean create, Map<String, String> env)
      throws ActionException;

  /** Through the Artifact Registry API, as the invoking shell's Google credentials. */
  static ArtifactRepositories standard(GoogleAdc adc) {
    return using(ArtifactAdmins.standard(adc));
  }

  static ArtifactRepositories using(ArtifactAdmins admins) {
    return (image, create, env) -> {
      try (ArtifactRegistryAdmin admin = admins.open(env, image.repositoryName())) {
        admin.ensureRepository(image, create);
      }
    };
  }
}
