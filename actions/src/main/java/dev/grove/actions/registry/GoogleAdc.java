package dev.grove.actions.registry;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Google Application Default Credentials as an access token, looked up from the invoking CLI's
 * environment. Tests replace it with a fake.
 */
@FunctionalInterface
public interface GoogleAdc {

  String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

  /**
   * A fresh access token, or empty when no ADC is configured.
   *
   * @throws IOException when ADC is configured but unreadable or cannot be refreshed
   */
  Optional<String> accessToken(Map<String, String> env) throws IOException;

  /**
   * The real lookup: {@code GOOGLE_APPLICATION_CREDENTIALS} from {@code env}, else gcloud's
   * well-known file under {@code CLOUDSDK_CONFIG} or {@code HOME/.config/gcloud}, else the
   * library's own search (metadata server on Google Cloud).
   */
  static GoogleAdc standard() {
    return env -> {
      Optional<Path> file = credentialsFile(env);
      GoogleCredentials credentials;
      if (file.isPresent()) {
        try (InputStream in = Files.newInputStream(file.get())) {
          credentials = GoogleCredentials.fromStream(in);
        } catch (IOException | RuntimeException e) {
          throw new IOException(file.get() + ": " + e.getMessage(), e);
        }
      } else {
        try {
          credentials = GoogleCredentials.getApplicationDefault();
        } catch (IOException notConfigured) {
          return Optional.empty();
        }
      }
      if (credentials.createScopedRequired()) {
        credentials = credentials.createScoped(List.of(CLOUD_PLATFORM_SCOPE));
      }
      // Refreshes when the token is missing or expires within the library's margin (minutes).
      credentials.refreshIfExpired();
      AccessToken token = credentials.getAccessToken();
      if (token == null) {
        throw new IOException("no access token after refresh");
      }
      return Optional.of(token.getTokenValue());
    };
  }

  private static Optional<Path> credentialsFile(Map<String, String> env) {
    String explicit = env.get("GOOGLE_APPLICATION_CREDENTIALS");
    if (explicit != null && !explicit.isBlank()) {
      return Optional.of(Path.of(explicit));
    }
    String config = env.get("CLOUDSDK_CONFIG");
    Path dir = null;
    if (config != null && !config.isBlank()) {
      dir = Path.of(config);
    } else if (env.get("HOME") != null && !env.get("HOME").isBlank()) {
      dir = Path.of(env.get("HOME"), ".config", "gcloud");
    }
    if (dir == null) {
      return Optional.empty();
    }
    Path wellKnown = dir.resolve("application_default_credentials.json");
    return Files.isRegularFile(wellKnown) ? Optional.of(wellKnown) : Optional.empty();
  }
}
