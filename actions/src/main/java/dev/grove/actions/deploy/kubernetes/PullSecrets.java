package dev.grove.actions.deploy.kubernetes;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What {@link KubernetesManifests} knows about image pull secrets, from the {@code kubernetes}
 * provider and the credential chain.
 *
 * @param registries the provider's registry hosts ({@code europe-west1-docker.pkg.dev}, {@code
 *     127.0.0.1:5000}): their images need a pull secret
 * @param secretNames the provider's {@code imagePullSecrets}, by name, in its order
 * @param hasCredentials whether Grove has credentials for a registry host: its images are private
 *     too (the caller asks the credential chain; a host is written as {@link #registryHost} gives
 *     it)
 * @param serviceAccountsWithSecrets the service accounts of the target namespace known to carry
 *     pull secrets: their pods need none of their own
 */
public record PullSecrets(
    List<String> registries,
    List<String> secretNames,
    Predicate<String> hasCredentials,
    Set<String> serviceAccountsWithSecrets) {

  public PullSecrets {
    registries = registries.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    secretNames = List.copyOf(secretNames);
    serviceAccountsWithSecrets = Set.copyOf(serviceAccountsWithSecrets);
  }

  /** No private registry: no injection, no warning. */
  public static PullSecrets none() {
    return new PullSecrets(List.of(), List.of(), host -> false, Set.of());
  }

  /**
   * The action's: the provider's registry and {@code imagePullSecrets}, and the hosts {@code
   * credentials} knows in the action's environment.
   */
  public static PullSecrets of(
      dev.grove.actions.spi.ActionContext context,
      dev.grove.actions.registry.RegistryCredentials credentials) {
    dev.grove.actions.spi.KubeContext kube = dev.grove.actions.spi.KubeContext.of(context);
    List<String> registries = new java.util.ArrayList<>();
    kube.registry().ifPresent(r -> registries.add(r.host()));
    List<String> names =
        kube.kubernetes().imagePullSecrets().stream()
            .map(dev.grove.actions.provider.SecretRef::name)
            .toList();
    return new PullSecrets(
        registries,
        names,
        host -> {
          try {
            return credentials.find(host, context.env()).isPresent();
          } catch (dev.grove.actions.spi.ActionException e) {
            return false; // a broken credential helper: no claim either way
          }
        },
        Set.of());
  }

  /** Whether pulling from this host needs credentials: the provider's registry, or a known one. */
  public boolean isPrivate(String registryHost) {
    String host = registryHost.toLowerCase(Locale.ROOT);
    return registries.contains(host) || hasCredentials.test(host);
  }

  /**
   * The registry host of an image reference, by Docker's rules: the first path component when it
   * has a dot or a colon or is {@code localhost}, else {@code docker.io}. {@code
   * europe-west1-docker.pkg.dev/p/r/backend:v1} gives {@code europe-west1-docker.pkg.dev}, {@code
   * 127.0.0.1:5000/app} gives {@code 127.0.0.1:5000}, {@code nginx:1.27} gives {@code docker.io}.
   * Lower case; Docker Hub's other names are {@code docker.io}.
   */
  public static String registryHost(String image) {
    return dev.grove.actions.kube.ImageNames.registryHost(image);
  }
}
