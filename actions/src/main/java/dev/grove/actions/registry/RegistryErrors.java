package dev.grove.actions.registry;

import java.util.Locale;
import java.util.Optional;

/** The fixes that registry failures suggest (their codes are {@code ActionCodes.REGISTRY_*}). */
public final class RegistryErrors {

  private RegistryErrors() {}

  /** The host without a port, lower case. */
  static String hostName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    return colon > 0 && h.indexOf(']') < colon ? h.substring(0, colon) : h;
  }

  static boolean isArtifactRegistry(String host) {
    return hostName(host).endsWith(".pkg.dev");
  }

  static boolean isGoogleRegistry(String host) {
    String h = hostName(host);
    return h.endsWith(".pkg.dev") || h.equals("gcr.io") || h.endsWith(".gcr.io");
  }

  /** How to give Grove credentials for {@code host}. */
  static String loginFix(String host) {
    if (isArtifactRegistry(host)) {
      return "run `gcloud auth configure-docker "
          + hostName(host)
          + "` (or `gcloud auth application-default login`), or `docker login "
          + host
          + "`";
    }
    if (isGoogleRegistry(host)) {
      return "run `gcloud auth configure-docker` (or `gcloud auth application-default login`),"
          + " or `docker login "
          + host
          + "`";
    }
    return "run `docker login " + host + "`";
  }

  /** What to do when {@code host} denies access to {@code repository} (HTTP 403). */
  static String forbiddenFix(String host, String repository) {
    if (isArtifactRegistry(host)) {
      return "Grant the account the IAM role roles/artifactregistry.writer on the repository"
          + " (roles/artifactregistry.reader is enough to check tags), or "
          + loginFix(host)
          + " as an account that has it";
    }
    return "Ask for push/pull access to "
        + repository
        + " on "
        + host
        + ", or "
        + loginFix(host)
        + " as an account that has it";
  }

  static String sourceOf(Optional<RegistryAuth> auth) {
    return auth.map(RegistryAuth::source).orElse("no credentials found");
  }
}
