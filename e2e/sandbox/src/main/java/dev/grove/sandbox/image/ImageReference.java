package dev.grove.sandbox.image;

import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference as the container runtime resolves it: jib's {@link
 * com.google.cloud.tools.jib.api.ImageReference} parses it (Docker's grammar: the registry host is
 * the first path component when it has a {@code .} or {@code :}, is {@code localhost} or has
 * upper-case letters, the tag defaults to {@code latest}, a digest wins over a tag), and it is
 * named the way containerd reports it: Docker Hub as {@code docker.io}, its one-component names
 * under {@code library/}.
 *
 * @param host the registry host, with its port when it has one
 * @param repository the path in the registry, e.g. {@code shop/web} or {@code library/nginx}
 * @param reference the tag, or the digest ({@code sha256:...}) when there is one
 * @param normalized the full reference the runtime reports: {@code docker.io/library/nginx:latest}
 */
public record ImageReference(String host, String repository, String reference, String normalized) {

  public static final String DOCKER_HUB = "docker.io";

  /** jib's grammar has no IPv6 hosts, containerd's has: such a host is swapped for this one. */
  private static final String IPV6_STAND_IN = "ipv6-host.invalid";

  private static final Pattern IPV6_HOST = Pattern.compile("\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");

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
    String ipv6Host = null;
    String parsable = image;
    int hostEnd = image.indexOf('/');
    if (hostEnd > 0 && IPV6_HOST.matcher(image.substring(0, hostEnd)).matches()) {
      ipv6Host = image.substring(0, hostEnd);
      parsable = IPV6_STAND_IN + image.substring(hostEnd);
    }
    com.google.cloud.tools.jib.api.ImageReference parsed;
    try {
      parsed = com.google.cloud.tools.jib.api.ImageReference.parse(parsable);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidReference(image);
    }
    String host = ipv6Host != null ? ipv6Host : parsed.getRegistry();
    String repository = parsed.getRepository();
    int slash = repository.indexOf('/');
    if (slash > 0 && image.startsWith(repository.substring(0, slash) + "/")) {
      // Docker reads an upper-case first component as a registry host; jib keeps it in the path
      String first = repository.substring(0, slash);
      if (!first.toLowerCase(Locale.ROOT).equals(first)) {
        host = first;
        repository = repository.substring(slash + 1);
      }
    }
    if (!repository.toLowerCase(Locale.ROOT).equals(repository)) {
      throw new InvalidReference(image);
    }
    if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
      host = DOCKER_HUB;
    }
    if (host.equals(DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    String tag = parsed.getTag().orElse(null);
    String digest = parsed.getDigest().orElse(null);
    String normalized =
        host
            + "/"
            + repository
            + (tag == null ? "" : ":" + tag)
            + (digest == null ? "" : "@" + digest);
    return new ImageReference(host, repository, parsed.getQualifier(), normalized);
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
