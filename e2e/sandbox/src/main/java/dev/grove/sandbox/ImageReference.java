package dev.grove.sandbox;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference taken apart by Docker's rules, as the container runtime resolves it: the
 * registry host is the first path component when it has a {@code .} or {@code :}, is {@code
 * localhost} or has upper-case letters, else {@code docker.io} (where one-component names are under
 * {@code library/}); the tag defaults to {@code latest}; a digest wins over a tag.
 *
 * @param host the registry host, with its port when it has one
 * @param repository the path in the registry, e.g. {@code shop/web} or {@code library/nginx}
 * @param reference the tag, or the digest ({@code sha256:...}) when there is one
 * @param normalized the full reference the runtime reports: {@code docker.io/library/nginx:latest}
 */
public record ImageReference(String host, String repository, String reference, String normalized) {

  public static final String DOCKER_HUB = "docker.io";

  private static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,}");
  private static final Pattern HOST =
      Pattern.compile(
          "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9-]+)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?");

  /** Thrown for what the runtime calls an invalid reference format. */
  public static final class InvalidReference extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidReference(String image) {
      super("couldn't parse image name \"" + image + "\": invalid reference format");
    }
  }

  public static ImageReference parse(String image) throws InvalidReference {
    if (image == null || image.isBlank() || !image.equals(image.strip())) {
      throw new InvalidReference(String.valueOf(image));
    }
    String rest = image;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new InvalidReference(image);
      }
    }
    String host = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".")
          || first.contains(":")
          || first.equals("localhost")
          || !first.toLowerCase(Locale.ROOT).equals(first)) {
        if (!HOST.matcher(first).matches()) {
          throw new InvalidReference(image);
        }
        host = first;
        rest = rest.substring(slash + 1);
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new InvalidReference(image);
      }
    }
    if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
      host = DOCKER_HUB;
    }
    if (host.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (!REPOSITORY.matcher(rest).matches()) {
      throw new InvalidReference(image);
    }
    if (digest == null && tag == null) {
      tag = "latest";
    }
    String normalized =
        host + "/" + rest + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    return new ImageReference(host, rest, digest != null ? digest : tag, normalized);
  }

  /** Whether the registry is on this machine: 127.0.0.0/8, localhost or [::1]. */
  public boolean isLoopback() {
    String name =
        host.startsWith("[")
            ? host.substring(0, host.indexOf(']') + 1)
            : host.replaceAll(":\\d+$", "");
    return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
  }

  public boolean isDockerHub() {
    return host.equals(DOCKER_HUB);
  }

  /** The manifest URL the runtime asks (plain http: loopback registries are insecure ones). */
  public String manifestUrl() {
    return "http://" + host + "/v2/" + repository + "/manifests/" + reference;
  }
}
