package dev.grove.actions.kube;

/** Docker's rules for the registry part of an image reference. */
public final class ImageNames {
  private ImageNames() {}

  /**
   * The registry host of {@code image}: its first path component when that has a {@code .} or
   * {@code :} or is {@code localhost}, else Docker Hub ({@code docker.io}).
   */
  public static String registryHost(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) {
      return "docker.io";
    }
    String first = image.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost")
        ? first
        : "docker.io";
  }
}
