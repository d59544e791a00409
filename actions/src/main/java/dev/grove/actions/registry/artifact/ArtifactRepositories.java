package dev.grove.actions.registry.artifact;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.grove.actions.registry.GoogleAdc;
import dev.grove.actions.registry.RegistryErrors;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

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
    return (image, create, env) -> {
      Optional<String> token;
      try {
        token = adc.accessToken(env);
      } catch (IOException e) {
        token = Optional.empty();
      }
      if (token.isEmpty()) {
        throw new ActionException(
            RegistryErrors.REGISTRY_CREDENTIALS,
            "No Google credentials to check the Artifact Registry repository "
                + image.repositoryName()
                + ".",
            "Run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS"
                + " to a service account key.");
      }
      GoogleCredentials credentials = GoogleCredentials.create(new AccessToken(token.get(), null));
      try (ArtifactRegistryAdmin admin = ArtifactRegistryAdmin.create(credentials)) {
        admin.ensureRepository(image, create);
      } catch (IOException e) {
        throw new ActionException(
            RegistryErrors.REGISTRY_UNREACHABLE,
            "Cannot reach the Artifact Registry API for " + image.repositoryName() + ".",
            "Check the network; the API is artifactregistry.googleapis.com.");
      }
    };
  }
}
