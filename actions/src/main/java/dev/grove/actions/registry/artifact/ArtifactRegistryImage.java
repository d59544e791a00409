package dev.grove.actions.registry.artifact;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference in Google Artifact Registry: {@code
 * LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE[:TAG]}, where IMAGE may contain slashes.
 */
public record ArtifactRegistryImage(
    String location, String project, String repository, String image, Optional<String> tag) {

  private static final String HOST_SUFFIX = "-docker.pkg.dev";
  private static final Pattern LOCATION = Pattern.compile("[a-z][a-z0-9-]*[a-z0-9]");
  // Project ids, and domain-scoped ones such as example.com:my-project; lenient on length.
  private static final Pattern PROJECT =
      Pattern.compile("([a-z0-9.-]+:)?[a-z]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern REPOSITORY = Pattern.compile("[a-z]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern IMAGE =
      Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  public ArtifactRegistryImage {
    check(LOCATION, location, "location");
    check(PROJECT, project, "project");
    check(REPOSITORY, repository, "repository");
    check(IMAGE, image, "image");
    Objects.requireNonNull(tag, "tag");
    tag.ifPresent(t -> check(TAG, t, "tag"));
  }

  /** Whether {@code host} (with or without a port) is an Artifact Registry Docker host. */
  public static boolean isArtifactRegistryHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    int colon = h.indexOf(':');
    if (colon >= 0) {
      h = h.substring(0, colon);
    }
    return h.endsWith(HOST_SUFFIX) && h.length() > HOST_SUFFIX.length();
  }

  /**
   * Parses {@code reference}.
   *
   * @throws IllegalArgumentException if it is not an Artifact Registry Docker image reference
   */
  public static ArtifactRegistryImage parse(String reference) {
    if (reference.contains("@")) {
      throw new IllegalArgumentException(
          "Not an Artifact Registry image with a tag: " + reference + " (digests are not used)");
    }
    String[] parts = reference.split("/", 4);
    if (parts.length < 4 || !isArtifactRegistryHost(parts[0]) || parts[0].contains(":")) {
      throw new IllegalArgumentException(
          "Not an Artifact Registry image: "
              + reference
              + " (expected LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE[:TAG])");
    }
    String host = parts[0].toLowerCase(Locale.ROOT);
    String location = host.substring(0, host.length() - HOST_SUFFIX.length());
    String rest = parts[3];
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    return new ArtifactRegistryImage(location, parts[1], parts[2], rest, tag);
  }

  public String host() {
    return location + HOST_SUFFIX;
  }

  public ArtifactRegistryImage withTag(String newTag) {
    return new ArtifactRegistryImage(location, project, repository, image, Optional.of(newTag));
  }

  public ArtifactRegistryImage withoutTag() {
    return new ArtifactRegistryImage(location, project, repository, image, Optional.empty());
  }

  /** {@code projects/P/locations/L}. */
  public String locationName() {
    return "projects/" + project + "/locations/" + location;
  }

  /** {@code projects/P/locations/L/repositories/R}. */
  public String repositoryName() {
    return locationName() + "/repositories/" + repository;
  }

  /** {@code .../packages/IMAGE}, with the slashes of IMAGE escaped as Artifact Registry does. */
  public String packageName() {
    return repositoryName() + "/packages/" + image.replace("/", "%2F");
  }

  /**
   * {@code .../packages/IMAGE/tags/TAG}.
   *
   * @throws IllegalStateException if this reference has no tag
   */
  public String tagName() {
    return packageName()
        + "/tags/"
        + tag.orElseThrow(() -> new IllegalStateException("No tag in " + this));
  }

  @Override
  public String toString() {
    return host()
        + "/"
        + project
        + "/"
        + repository
        + "/"
        + image
        + tag.map(t -> ":" + t).orElse("");
  }

  private static void check(Pattern pattern, String value, String what) {
    Objects.requireNonNull(value, what);
    if (!pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "Not a valid Artifact Registry " + what + ": '" + value + "'");
    }
  }
}
