package dev.grove.actions.registry.artifact;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.grove.actions.registry.GoogleAdc;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** Opens an Artifact Registry API client as the invoking shell's Google credentials. */
@FunctionalInterface
public interface ArtifactAdmins {

  /**
   * @param what what the client is for, named in errors (e.g. the repository)
   */
  ArtifactRegistryAdmin open(Map<String, String> env, String what) throws ActionException;

  /** Google Application Default Credentials, as {@link GoogleAdc} finds them in {@code env}. */
  static ArtifactAdmins standard(GoogleAdc adc) {
    return (env, what) -> {
      Optional<String> token;
      try {
        token = adc.accessToken(env);
      } catch (IOException e) {
        token = Optional.empty();
      }
      if (token.isEmpty()) {
        throw new ActionException(
            ActionCodes.REGISTRY_CREDENTIALS,
            "No Google credentials to use the Artifact Registry API for " + what + ".",
            "Run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS"
                + " to a service account key.");
      }
      try {
        return ArtifactRegistryAdmin.create(
            GoogleCredentials.create(new AccessToken(token.get(), null)));
      } catch (IOException e) {
        throw new ActionException(
            ActionCodes.REGISTRY_UNREACHABLE,
            "Cannot reach the Artifact Registry API for " + what + ".",
            "Check the network; the API is artifactregistry.googleapis.com.");
      }
    };
  }
}
