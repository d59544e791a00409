package dev.grove.actions.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Talks to a registry through the Docker Registry HTTP API v2 / OCI distribution: whether a tag
 * exists (a manifest HEAD), its tags, digests and creation times, and deletion; doing Basic auth
 * and the Bearer token flow itself.
 */
public final class RegistryStatus {

  static final String ACCEPT =
      String.join(
          ",",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.docker.distribution.manifest.v1+prettyjws");

  private static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
  private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final Pattern CHALLENGE_PARAM =
      Pattern.compile(
          "([A-Za-z_][A-Za-z0-9_-]*)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s,]*))");

  private final HttpClient client;
  private final Duration requestTimeout;

  public RegistryStatus() {
    this(Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  public RegistryStatus(Duration connectTimeout, Duration requestTimeout) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /**
   * Whether {@code host/repository:tag} exists.
   *
   * @param host the registry host, with a port when it has one
   * @param repository the repository path, e.g. {@code my-project/my-repo/api}
   * @param tag a tag, or a digest such as {@code sha256:...}
   * @param insecure plain http instead of https
   * @throws ActionException {@link ActionCodes#REGISTRY_UNAUTHORIZED}, {@link
   *     RegistryErrors#REGISTRY_FORBIDDEN}, {@link ActionCodes#REGISTRY_UNREACHABLE} or {@link
   *     RegistryErrors#REGISTRY_ERROR}; messages never contain a password or token
   */
  public boolean tagExists(
      String host, String repository, String tag, Optional<RegistryAuth> auth, boolean insecure)
      throws ActionException {
    Objects.requireNonNull(auth, "auth");
    return manifest(
            "HEAD", host, repository, tag, auth, insecure, HttpResponse.BodyHandlers.discarding())
        .isPresent();
  }

  /**
   * The tags of {@code host/repository} ({@code GET /v2/<name>/tags/list}, following its pages); an
   * image never pushed has none.
   */
  public List<String> tags(
      String host, String repository, Optional<RegistryAuth> auth, boolean insecure)
      throws ActionException {
    validate(host, repository, "latest");
    List<String> tags = new ArrayList<>();
    String base = (insecure ? "http://" : "https://") + host;
    URI next = URI.create(base + "/v2/" + repository + "/tags/list?n=1000");
    for (int page = 0; next != null && page < 100; page++) {
      HttpResponse<String> answer =
          exchange("GET", next, host, repository, auth, HttpResponse.BodyHandlers.ofString());
      int status = answer.statusCode();
      if (status == 404) {
        return tags;
      }
      if (status != 200) {
        interpret(status, host, repository, "tags", auth);
      }
      try {
        JsonElement list = JsonParser.parseString(answer.body()).getAsJsonObject().get("tags");
        if (list != null && list.isJsonArray()) {
          list.getAsJsonArray().forEach(tag -> tags.add(tag.getAsString()));
        }
      } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
        throw unexpected(host, "the tags of " + repository + " (not a tag list)", status);
      }
      next =
          answer
              .headers()
              .firstValue("Link")
              .map(link -> LINK_NEXT.matcher(link))
              .filter(Matcher::find)
              .map(m -> URI.create(m.group(1).startsWith("/") ? base + m.group(1) : m.group(1)))
              .orElse(null);
    }
    return tags;
  }

  /** The manifest digest a tag points to ({@code Docker-Content-Digest}); empty when no tag. */
  public Optional<String> digest(
      String host, String repository, String tag, Optional<RegistryAuth> auth, boolean insecure)
      throws ActionException {
    return manifest(
            "HEAD", host, repository, tag, auth, insecure, HttpResponse.BodyHandlers.discarding())
        .flatMap(answer -> answer.headers().firstValue("Docker-Content-Digest"));
  }

  /**
   * When the image behind a tag was built, from its config's {@code created}; empty for an image
   * index, and for images built reproducibly (jib's creation time is the epoch).
   */
  public Optional<java.time.Instant> created(
      String host, String repository, String tag, Optional<RegistryAuth> auth, boolean insecure)
      throws ActionException {
    Optional<HttpResponse<String>> found =
        manifest(
            "GET", host, repository, tag, auth, insecure, HttpResponse.BodyHandlers.ofString());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    HttpResponse<String> manifest = found.get();
    try {
      JsonObject config = JsonParser.parseString(manifest.body()).getAsJsonObject();
      JsonElement descriptor = config.get("config");
      if (descriptor == null || !descriptor.isJsonObject()) {
        return Optional.empty();
      }
      String digest = descriptor.getAsJsonObject().get("digest").getAsString();
      URI blob =
          URI.create(
              (insecure ? "http://" : "https://")
                  + host
                  + "/v2/"
                  + repository
                  + "/blobs/"
                  + digest);
      HttpResponse<String> answer =
          exchange("GET", blob, host, repository, auth, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        return Optional.empty();
      }
      JsonElement created = JsonParser.parseString(answer.body()).getAsJsonObject().get("created");
      if (created == null || !created.isJsonPrimitive()) {
        return Optional.empty();
      }
      java.time.Instant when = java.time.Instant.parse(created.getAsString());
      return when.getEpochSecond() <= 0 ? Optional.empty() : Optional.of(when);
    } catch (RuntimeException e) {
      // JSON of another shape or an odd timestamp: the age is unknown, which is not an error
      return Optional.empty();
    }
  }

  /**
   * Deletes a manifest by digest ({@code DELETE /v2/<name>/manifests/<digest>}); every tag that
   * points to it goes with it. A manifest already gone is not an error.
   *
   * @throws ActionException {@link ActionCodes#REGISTRY_DELETE_DISABLED} when the registry does not
   *     allow deletion, and the errors of {@link #tagExists}
   */
  public void deleteManifest(
      String host, String repository, String digest, Optional<RegistryAuth> auth, boolean insecure)
      throws ActionException {
    validate(host, repository, digest);
    HttpResponse<Void> answer =
        exchange(
            "DELETE",
            manifestUri(host, repository, digest, insecure),
            host,
            repository,
            auth,
            HttpResponse.BodyHandlers.discarding());
    int status = answer.statusCode();
    if (status == 202 || status == 200 || status == 404) {
      return;
    }
    if (status == 405 || status == 501) {
      throw new ActionException(
          ActionCodes.REGISTRY_DELETE_DISABLED,
          "The registry " + host + " does not allow deleting images (HTTP " + status + ").",
          "Enable deletion in the registry (distribution: storage.delete.enabled: true, or"
              + " REGISTRY_STORAGE_DELETE_ENABLED=true), or delete old tags in its own UI.");
    }
    interpret(status, host, repository, digest, auth);
  }

  /** The manifest answer for a tag or digest; empty when there is none (404). */
  private <T> Optional<HttpResponse<T>> manifest(
      String method,
      String host,
      String repository,
      String tag,
      Optional<RegistryAuth> auth,
      boolean insecure,
      HttpResponse.BodyHandler<T> handler)
      throws ActionException {
    validate(host, repository, tag);
    HttpResponse<T> answer =
        exchange(
            method, manifestUri(host, repository, tag, insecure), host, repository, auth, handler);
    return interpret(answer.statusCode(), host, repository, tag, auth)
        ? Optional.of(answer)
        : Optional.empty();
  }

  private static URI manifestUri(String host, String repository, String tag, boolean insecure) {
    return URI.create(
        (insecure ? "http://" : "https://") + host + "/v2/" + repository + "/manifests/" + tag);
  }

  /** Sends without credentials first, then answers the registry's challenge once. */
  private <T> HttpResponse<T> exchange(
      String method,
      URI uri,
      String host,
      String repository,
      Optional<RegistryAuth> auth,
      HttpResponse.BodyHandler<T> handler)
      throws ActionException {
    HttpResponse<T> first = send(request(method, uri, Optional.empty()), handler, host, auth);
    if (first.statusCode() == 401) {
      Optional<String> authorization = authorize(first, host, repository, auth);
      if (authorization.isPresent()) {
        return send(request(method, uri, authorization), handler, host, auth);
      }
    }
    return first;
  }

  private HttpRequest request(String method, URI uri, Optional<String> authorization) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Accept", ACCEPT)
            .method(method, HttpRequest.BodyPublishers.noBody());
    authorization.ifPresent(value -> builder.header("Authorization", value));
    return builder.build();
  }

  private static void validate(String host, String repository, String tag) throws ActionException {
    if (host == null || host.isBlank() || host.contains("/")) {
      throw invalid("registry host `" + host + "` is not a host[:port]");
    }
    if (repository == null || !REPOSITORY.matcher(repository).matches()) {
      throw invalid("repository `" + repository + "` is not a valid image repository name");
    }
    if (tag == null || !(TAG.matcher(tag).matches() || DIGEST.matcher(tag).matches())) {
      throw invalid("tag `" + tag + "` is not a valid tag or digest");
    }
  }

  private static ActionException invalid(String what) {
    return new ActionException(
        ActionCodes.INVALID_SPEC,
        "The image reference is invalid: " + what,
        "Use lower-case repository paths and tags of letters, digits, `_`, `.` and `-`");
  }

  private Optional<String> authorize(
      HttpResponse<?> unauthorized, String host, String repository, Optional<RegistryAuth> auth)
      throws ActionException {
    List<String> headers = unauthorized.headers().allValues("WWW-Authenticate");
    Optional<Challenge> bearer = Optional.empty();
    boolean basic = false;
    for (String header : headers) {
      Challenge challenge = Challenge.parse(header);
      if (challenge.scheme().equals("bearer")) {
        bearer = Optional.of(challenge);
      } else if (challenge.scheme().equals("basic")) {
        basic = true;
      }
    }
    if (bearer.isPresent()) {
      return Optional.of("Bearer " + token(bearer.get(), host, repository, auth));
    }
    if (basic && auth.isPresent() && !auth.get().isIdentityToken()) {
      return Optional.of(basicHeader(auth.get()));
    }
    return Optional.empty();
  }

  private String token(
      Challenge challenge, String host, String repository, Optional<RegistryAuth> auth)
      throws ActionException {
    String realm = challenge.params().get("realm");
    if (realm == null || realm.isBlank()) {
      throw new ActionException(
          ActionCodes.REGISTRY_ERROR,
          "The registry " + host + " asked for a Bearer token without a realm",
          "Check that " + host + " is a Docker/OCI registry");
    }
    String service = challenge.params().get("service");
    String scope = challenge.params().getOrDefault("scope", "repository:" + repository + ":pull");
    URI realmUri;
    try {
      realmUri = URI.create(realm);
    } catch (IllegalArgumentException e) {
      throw new ActionException(
          ActionCodes.REGISTRY_ERROR,
          "The registry " + host + " named a token realm that is not a URL: " + realm,
          "Check that " + host + " is a Docker/OCI registry");
    }
    HttpRequest request;
    if (auth.isPresent() && auth.get().isIdentityToken()) {
      // An identity token is an OAuth2 refresh token: exchange it with a form POST.
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "refresh_token");
      form.put("refresh_token", auth.get().password());
      form.put("client_id", "grove");
      if (service != null) {
        form.put("service", service);
      }
      form.put("scope", scope);
      request =
          HttpRequest.newBuilder(realmUri)
              .timeout(requestTimeout)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
              .build();
    } else {
      Map<String, String> query = new LinkedHashMap<>();
      if (service != null) {
        query.put("service", service);
      }
      query.put("scope", scope);
      String separator = realm.contains("?") ? "&" : "?";
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(realm + separator + formEncode(query)))
              .timeout(requestTimeout)
              .GET();
      auth.ifPresent(a -> builder.header("Authorization", basicHeader(a)));
      request = builder.build();
    }
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(), host, auth);
    int status = response.statusCode();
    if (status == 401) {
      throw unauthorized(host, auth);
    }
    if (status == 403) {
      throw forbidden(host, repository, auth);
    }
    if (status / 100 != 2) {
      throw unexpected(host, "token endpoint " + realmUri.getHost(), status);
    }
    try {
      JsonElement body = JsonParser.parseString(response.body());
      JsonObject object = body.getAsJsonObject();
      for (String field : List.of("token", "access_token")) {
        JsonElement value = object.get(field);
        if (value != null && value.isJsonPrimitive() && !value.getAsString().isEmpty()) {
          return value.getAsString();
        }
      }
    } catch (JsonParseException | IllegalStateException e) {
      // fall through: reported without the body, which might hold a token
    }
    throw new ActionException(
        ActionCodes.REGISTRY_ERROR,
        "The token endpoint of " + host + " answered without a token",
        "Check that " + host + " is a Docker/OCI registry");
  }

  private <T> HttpResponse<T> send(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      String host,
      Optional<RegistryAuth> auth)
      throws ActionException {
    try {
      return client.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ActionException(
          ActionCodes.CANCELLED, "Cancelled while talking to " + host, "Run again");
    } catch (IOException e) {
      throw unreachable(host, request.uri(), auth, e);
    }
  }

  private static boolean interpret(
      int status, String host, String repository, String tag, Optional<RegistryAuth> auth)
      throws ActionException {
    if (status == 200) {
      return true;
    }
    if (status == 404) {
      return false;
    }
    if (status == 401) {
      throw unauthorized(host, auth);
    }
    if (status == 403) {
      throw forbidden(host, repository, auth);
    }
    throw unexpected(host, "manifest " + repository + ":" + tag, status);
  }

  private static ActionException unauthorized(String host, Optional<RegistryAuth> auth) {
    return new ActionException(
        ActionCodes.REGISTRY_UNAUTHORIZED,
        "The registry "
            + host
            + " refused the credentials (HTTP 401); tried: "
            + RegistryErrors.sourceOf(auth),
        RegistryErrors.loginFix(host));
  }

  private static ActionException forbidden(
      String host, String repository, Optional<RegistryAuth> auth) {
    return new ActionException(
        ActionCodes.REGISTRY_FORBIDDEN,
        "The registry "
            + host
            + " denied access to "
            + repository
            + " (HTTP 403); tried: "
            + RegistryErrors.sourceOf(auth),
        RegistryErrors.forbiddenFix(host, repository));
  }

  private static ActionException unexpected(String host, String what, int status) {
    return new ActionException(
        ActionCodes.REGISTRY_ERROR,
        "The registry " + host + " answered HTTP " + status + " for " + what,
        "Try again later; if it persists, check the registry's status");
  }

  private static ActionException unreachable(
      String host, URI uri, Optional<RegistryAuth> auth, IOException e) {
    String why;
    if (e instanceof HttpConnectTimeoutException) {
      why = "the connection timed out";
    } else if (e instanceof HttpTimeoutException) {
      why = "it did not answer in time";
    } else if (hasCause(e, UnknownHostException.class)
        || hasCause(e, java.nio.channels.UnresolvedAddressException.class)) {
      why = "the host name does not resolve";
    } else if (e instanceof ConnectException || hasCause(e, ConnectException.class)) {
      why = "the connection was refused";
    } else {
      why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    return new ActionException(
        ActionCodes.REGISTRY_UNREACHABLE,
        "The registry "
            + host
            + " could not be reached at "
            + uri.getScheme()
            + "://"
            + uri.getAuthority()
            + ": "
            + why
            + "; credentials: "
            + RegistryErrors.sourceOf(auth),
        "Check the host name and port, the network or proxy, and that the registry is running"
            + ("http".equals(uri.getScheme())
                ? ""
                : "; a registry on plain http needs the insecure setting"));
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String basicHeader(RegistryAuth auth) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (auth.username() + ":" + auth.password()).getBytes(StandardCharsets.UTF_8));
  }

  private static String formEncode(Map<String, String> fields) {
    List<String> pairs = new ArrayList<>();
    fields.forEach(
        (k, v) ->
            pairs.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return String.join("&", pairs);
  }

  /** One {@code WWW-Authenticate} challenge: scheme (lower case) and its parameters. */
  record Challenge(String scheme, Map<String, String> params) {
    Challenge {
      params = Map.copyOf(params);
    }

    static Challenge parse(String header) {
      String trimmed = header.trim();
      int space = trimmed.indexOf(' ');
      String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
      Map<String, String> params = new LinkedHashMap<>();
      if (space >= 0) {
        Matcher m = CHALLENGE_PARAM.matcher(trimmed.substring(space + 1));
        while (m.find()) {
          String value = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
          params.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), value);
        }
      }
      return new Challenge(scheme, params);
    }
  }
}
