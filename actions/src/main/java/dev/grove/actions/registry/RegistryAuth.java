package dev.grove.actions.registry;

import java.util.Objects;

/**
 * Credentials for one registry and where they came from. {@link #toString()} never shows the
 * password, so the record is safe to log.
 *
 * @param username the user name; {@value #IDENTITY_TOKEN_USER} when {@code password} is an identity
 *     (refresh) token, {@value #GOOGLE_ACCESS_TOKEN_USER} for a Google access token
 * @param password the password, token or secret
 * @param source where the credentials were found, e.g. {@code auths in /home/u/.docker/config.json}
 */
public record RegistryAuth(String username, String password, String source) {

  /** The user name docker credential helpers and config files use for an identity token. */
  public static final String IDENTITY_TOKEN_USER = "<token>";

  /** The user name registries of Google accept with an OAuth2 access token as password. */
  public static final String GOOGLE_ACCESS_TOKEN_USER = "oauth2accesstoken";

  public RegistryAuth {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(source, "source");
  }

  /** True when {@code password} is an OAuth2 refresh token to exchange at the token endpoint. */
  public boolean isIdentityToken() {
    return IDENTITY_TOKEN_USER.equals(username);
  }

  @Override
  public String toString() {
    return "RegistryAuth[username=" + username + ", password=<redacted>, source=" + source + "]";
  }
}
