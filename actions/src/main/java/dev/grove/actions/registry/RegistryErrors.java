package dev.grove.actions.registry;

import java.util.Locale;
import java.util.Optional;

/** The machine codes of registry failures and the fixes their messages suggest. */
public final class RegistryErrors {

  /** A docker config file, credential helper or Google ADC could not give credentials. */
  public static final String REGISTRY_CREDENTIALS = "REGISTRY_CREDENTIALS";

  /** The registry refused the credentials (or their absence): HTTP 401. */
  public static final String REGISTRY_UNAUTHORIZED = "REGISTRY_UNAUTHORIZED";

  /** The registry accepted who we are but not what we asked: HTTP 403. */
  public static final String REGISTRY_FORBIDDEN = "REGISTRY_FORBIDDEN";

  /** The repository or image does not exist in the registry (pulling a base image). */
  public static final String REGISTRY_NOT_FOUND = "REGISTRY_NOT_FOUND";

  /** The registry could not be reached: refused, unknown host, timeout, TLS failure. */
  public static final String REGISTRY_UNREACHABLE = "REGISTRY_UNREACHABLE";

  /** The registry does not allow deleting manifests (distribution's default). */
  public static final String REGISTRY_DELETE_DISABLED = "REGISTRY_DELETE_DISABLED";

  /** The registry answered with something the protocol does not expect. */
  public static final String REGISTRY_ERROR = "REGISTRY_ERROR";

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
