package dev.grove.actions.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.project.UserFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds registry credentials the way the docker CLI and gcloud do, in the invoking CLI's
 * environment: the docker config ({@code credHelpers}, {@code auths}, {@code credsStore}), then
 * Google Application Default Credentials for Google registries. The first that answers wins;
 * nothing is cached, so a {@code docker login} between two runs is seen.
 */
public final class RegistryCredentials {

  private static final String DOCKER_HUB = "docker.io";
  private static final String DOCKER_HUB_SERVER = "https://index.docker.io/v1/";
  private static final Set<String> DOCKER_HUB_ALIASES =
      Set.of(
          "docker.io",
          "index.docker.io",
          "registry-1.docker.io",
          "registry.hub.docker.com",
          "index.docker.io/v1",
          "index.docker.io/v1/");
  private static final long HELPER_TIMEOUT_SECONDS = 60;
  private static final String NOT_FOUND_MESSAGE = "credentials not found";

  private final GoogleAdc adc;

  public RegistryCredentials() {
    this(GoogleAdc.standard());
  }

  public RegistryCredentials(GoogleAdc adc) {
    this.adc = Objects.requireNonNull(adc, "adc");
  }

  /**
   * The credentials for {@code registryHost} (with port when it has one), or empty when none are
   * configured.
   *
   * @param env the invoking CLI's environment: {@code HOME}, {@code DOCKER_CONFIG}, {@code PATH},
   *     {@code GOOGLE_APPLICATION_CREDENTIALS}, ...
   * @throws ActionException {@link ActionCodes#REGISTRY_CREDENTIALS} when a config file is
   *     malformed, a helper fails or ADC cannot be refreshed
   */
  public Optional<RegistryAuth> find(String registryHost, Map<String, String> env)
      throws ActionException {
    Objects.requireNonNull(registryHost, "registryHost");
    Objects.requireNonNull(env, "env");
    String host = normalize(registryHost);
    Optional<Path> config = dockerConfigFile(env);
    if (config.isPresent()) {
      Optional<RegistryAuth> fromDocker = fromDockerConfig(config.get(), host, registryHost, env);
      if (fromDocker.isPresent()) {
        return fromDocker;
      }
    }
    // the Grove sandbox's registry: `grove sandbox up` generated its password
    Optional<dev.grove.actions.kube.SandboxFiles.Registry> sandbox =
        dev.grove.actions.kube.SandboxFiles.registry(env);
    if (sandbox.isPresent() && normalize(sandbox.get().host()).equals(host)) {
      return Optional.of(
          new RegistryAuth(
              sandbox.get().user(),
              sandbox.get().password(),
              "the Grove sandbox (" + sandbox.get().source() + ")"));
    }
    if (RegistryErrors.isGoogleRegistry(host)) {
      return fromAdc(registryHost, env);
    }
    return Optional.empty();
  }

  private static Optional<Path> dockerConfigFile(Map<String, String> env) {
    String dockerConfig = env.get("DOCKER_CONFIG");
    if (dockerConfig != null && !dockerConfig.isBlank()) {
      return Optional.of(Path.of(dockerConfig, "config.json"));
    }
    String home = env.get("HOME");
    if (home != null && !home.isBlank()) {
      return Optional.of(Path.of(home, ".docker", "config.json"));
    }
    return Optional.empty();
  }

  private Optional<RegistryAuth> fromDockerConfig(
      Path file, String host, String registryHost, Map<String, String> env) throws ActionException {
    JsonElement parsed;
    try {
      parsed = JsonParser.parseString(UserFiles.readText(file));
    } catch (UserFiles.UnreadableException e) {
      if (e.reason() == UserFiles.Reason.MISSING) {
        return Optional.empty();
      }
      throw new ActionException(
          ActionCodes.REGISTRY_CREDENTIALS,
          "Could not read the docker config " + file + ": " + e.getMessage(),
          e.suggestion() + " Or point DOCKER_CONFIG at another directory.");
    } catch (JsonParseException e) {
      throw malformed(file, registryHost, "is not valid JSON: " + rootCause(e));
    }
    if (parsed.isJsonNull()) {
      return Optional.empty();
    }
    if (!parsed.isJsonObject()) {
      throw malformed(file, registryHost, "is not a JSON object");
    }
    JsonObject root = parsed.getAsJsonObject();

    JsonElement helpers = root.get("credHelpers");
    Optional<String> helper = textFor(helpers, host, file, registryHost, "credHelpers");
    if (helper.isPresent()) {
      return runHelper(helper.get(), "credHelper", host, registryHost, env);
    }

    JsonElement auths = root.get("auths");
    if (auths != null && !auths.isJsonNull() && !auths.isJsonObject()) {
      throw malformed(file, registryHost, "has an `auths` that is not an object");
    }
    Optional<JsonElement> entry = entryFor(auths, host);
    if (entry.isPresent()) {
      Optional<RegistryAuth> fromAuths = fromAuthsEntry(entry.get(), file, registryHost);
      if (fromAuths.isPresent()) {
        return fromAuths;
      }
    }

    JsonElement store = root.get("credsStore");
    if (store != null && !store.isJsonNull()) {
      String name = text(store);
      if (name.isBlank()) {
        throw malformed(file, registryHost, "has a `credsStore` that is not a helper name");
      }
      return runHelper(name, "credsStore", host, registryHost, env);
    }
    return Optional.empty();
  }

  private static Optional<String> textFor(
      JsonElement map, String host, Path file, String registryHost, String field)
      throws ActionException {
    if (map == null || map.isJsonNull()) {
      return Optional.empty();
    }
    if (!map.isJsonObject()) {
      throw malformed(file, registryHost, "has a `" + field + "` that is not an object");
    }
    Optional<JsonElement> value = entryFor(map, host);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String name = text(value.get());
    if (name.isBlank()) {
      throw malformed(
          file, registryHost, "has a `" + field + "` entry for " + host + " that is not a name");
    }
    return Optional.of(name);
  }

  /** The entry whose key is {@code host}, with or without a scheme or path, or an alias of it. */
  private static Optional<JsonElement> entryFor(JsonElement map, String host) {
    if (map == null || !map.isJsonObject()) {
      return Optional.empty();
    }
    JsonObject object = map.getAsJsonObject();
    JsonElement exact = object.get(host);
    if (exact != null) {
      return Optional.of(exact);
    }
    for (Map.Entry<String, JsonElement> field : object.entrySet()) {
      if (normalize(field.getKey()).equals(host)) {
        return Optional.of(field.getValue());
      }
    }
    return Optional.empty();
  }

  /** The string value of a JSON primitive, or "" for anything else. */
  private static String text(JsonElement element) {
    return element != null && element.isJsonPrimitive() ? element.getAsString() : "";
  }

  private static String text(JsonObject object, String field) {
    return text(object.get(field));
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  /** {@code https://Foo.io/v1/} → {@code foo.io}; every Docker Hub alias → {@code docker.io}. */
  static String normalize(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT);
    if (k.startsWith("https://")) {
      k = k.substring("https://".length());
    } else if (k.startsWith("http://")) {
      k = k.substring("http://".length());
    }
    if (DOCKER_HUB_ALIASES.contains(k)) {
      return DOCKER_HUB;
    }
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    return DOCKER_HUB_ALIASES.contains(k) ? DOCKER_HUB : k;
  }

  private static Optional<RegistryAuth> fromAuthsEntry(
      JsonElement element, Path file, String registryHost) throws ActionException {
    if (!element.isJsonObject()) {
      throw malformed(file, registryHost, "has an `auths` entry that is not an object");
    }
    JsonObject entry = element.getAsJsonObject();
    String source = "auths in " + file;
    String identityToken = text(entry, "identitytoken");
    if (!identityToken.isEmpty()) {
      return Optional.of(new RegistryAuth(RegistryAuth.IDENTITY_TOKEN_USER, identityToken, source));
    }
    String auth = text(entry, "auth");
    if (!auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw malformed(file, registryHost, "has an `auth` for this registry that is not base64");
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw malformed(
            file, registryHost, "has an `auth` for this registry that is not base64 of user:pass");
      }
      return Optional.of(
          new RegistryAuth(decoded.substring(0, colon), decoded.substring(colon + 1), source));
    }
    String username = text(entry, "username");
    String password = text(entry, "password");
    if (!username.isEmpty() && !password.isEmpty()) {
      return Optional.of(new RegistryAuth(username, password, source));
    }
    // An empty entry is the marker `docker login` leaves when a credsStore holds the secret.
    return Optional.empty();
  }

  private static Optional<RegistryAuth> runHelper(
      String helper, String kind, String host, String registryHost, Map<String, String> env)
      throws ActionException {
    String command = "docker-credential-" + helper;
    String source = kind + " " + helper;
    Optional<Path> executable = ProcessRunner.onPath(command, env.get("PATH"));
    if (executable.isEmpty()) {
      throw new ActionException(
          ActionCodes.REGISTRY_CREDENTIALS,
          "The docker "
              + kind
              + " `"
              + helper
              + "` for "
              + registryHost
              + " is configured, but `"
              + command
              + "` is not on the PATH",
          "Install "
              + command
              + " (or put it on the PATH), or remove the entry from the docker config and "
              + RegistryErrors.loginFix(registryHost));
    }
    String serverUrl = DOCKER_HUB.equals(host) ? DOCKER_HUB_SERVER : registryHost;
    ProcessBuilder builder = new ProcessBuilder(executable.get().toString(), "get");
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectErrorStream(false);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw helperFailed(command, source, registryHost, "could not start: " + e.getMessage());
    }
    try {
      CompletableFuture<byte[]> stdout = readAsync(process.getInputStream());
      CompletableFuture<byte[]> stderr = readAsync(process.getErrorStream());
      try (OutputStream in = process.getOutputStream()) {
        in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw helperFailed(
            command, source, registryHost, "did not answer in " + HELPER_TIMEOUT_SECONDS + " s");
      }
      String out = new String(stdout.join(), StandardCharsets.UTF_8).trim();
      String err = new String(stderr.join(), StandardCharsets.UTF_8).trim();
      if (process.exitValue() != 0) {
        if (out.toLowerCase(Locale.ROOT).contains(NOT_FOUND_MESSAGE)
            || err.toLowerCase(Locale.ROOT).contains(NOT_FOUND_MESSAGE)) {
          return Optional.empty();
        }
        String why = (err.isEmpty() ? out : err);
        throw helperFailed(
            command,
            source,
            registryHost,
            "exited with " + process.exitValue() + (why.isEmpty() ? "" : ": " + clip(why)));
      }
      return Optional.of(parseHelperAnswer(out, command, source, registryHost));
    } catch (IOException e) {
      throw helperFailed(command, source, registryHost, e.getMessage());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ActionException(
          ActionCodes.CANCELLED, "Cancelled while running " + command, "Run again");
    }
  }

  private static RegistryAuth parseHelperAnswer(
      String out, String command, String source, String registryHost) throws ActionException {
    JsonObject answer;
    try {
      answer = JsonParser.parseString(out).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      // Not echoed: the output may hold a secret.
      throw helperFailed(command, source, registryHost, "answered with something that is not JSON");
    }
    String username = text(answer, "Username");
    String secret = text(answer, "Secret");
    if (secret.isEmpty()) {
      throw helperFailed(command, source, registryHost, "answered without a Secret");
    }
    return new RegistryAuth(
        username.isEmpty() ? RegistryAuth.IDENTITY_TOKEN_USER : username, secret, source);
  }

  private Optional<RegistryAuth> fromAdc(String registryHost, Map<String, String> env)
      throws ActionException {
    Optional<String> token;
    try {
      token = adc.accessToken(env);
    } catch (IOException | RuntimeException e) {
      throw new ActionException(
          ActionCodes.REGISTRY_CREDENTIALS,
          "Google Application Default Credentials for "
              + registryHost
              + " could not give an access token: "
              + e.getMessage(),
          "Run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to"
              + " a valid key file, or run `gcloud auth configure-docker "
              + RegistryErrors.hostName(registryHost)
              + "`");
    }
    return token.map(
        t ->
            new RegistryAuth(
                RegistryAuth.GOOGLE_ACCESS_TOKEN_USER,
                t,
                "Google Application Default Credentials"));
  }

  private static CompletableFuture<byte[]> readAsync(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return stream.readAllBytes();
          } catch (IOException e) {
            return new byte[0];
          }
        });
  }

  private static String clip(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
  }

  private static ActionException malformed(Path file, String registryHost, String what) {
    return new ActionException(
        ActionCodes.REGISTRY_CREDENTIALS,
        "The docker config " + file + " " + what,
        "Fix or remove " + file + ", then " + RegistryErrors.loginFix(registryHost));
  }

  private static ActionException helperFailed(
      String command, String source, String registryHost, String why) {
    return new ActionException(
        ActionCodes.REGISTRY_CREDENTIALS,
        "The docker credential helper "
            + command
            + " ("
            + source
            + ") failed for "
            + registryHost
            + ": "
            + why,
        RegistryErrors.loginFix(registryHost) + " to refresh the helper's credentials");
  }
}
