package dev.grove.actions.provider;

/** The kubernetes provider's {@code deploymentRegistry}: where deployment images are pushed. */
public record ImageRegistry(
    String hostname, Integer port, String namespace, boolean insecure, boolean createRepository) {

  public ImageRegistry(String hostname, Integer port, String namespace, boolean insecure) {
    this(hostname, port, namespace, insecure, false);
  }

  /** {@code host[:port]}, what credentials are looked up by. */
  public String host() {
    return port == null ? hostname : hostname + ":" + port;
  }

  /** {@code host[:port]/namespace}, the prefix of every deployment image name. */
  public String prefix() {
    return namespace == null || namespace.isEmpty() ? host() : host() + "/" + namespace;
  }
}
