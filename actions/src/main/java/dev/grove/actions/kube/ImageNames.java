package dev.grove.actions.kube;

import java.util.Locale;

/** Docker's rules for the registry part of an image reference. */
public final class ImageNames {
  public static final String DOCKER_HUB = "docker.io";

  private ImageNames() {}

  /**
   * The registry host of {@code image}: its first path component when that has a {@code .} or
   * {@code :} or is {@code localhost}, else Docker Hub ({@code docker.io}; its other names too).
   */
  public static String registryHost(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) {
      return DOCKER_HUB;
    }
    String first = image.substring(0, slash);
    if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
      return DOCKER_HUB;
    }
    String host = first.toLowerCase(Locale.ROOT);
    return host.equals("index.docker.io") || host.equals("registry-1.docker.io")
        ? DOCKER_HUB
        : host;
  }
}
