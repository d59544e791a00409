package dev.grove.orchestrator.config;

import dev.grove.actions.provider.ImageRegistry;
import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.provider.Provider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The resolved project: its name, the selected environment, the variables actions start from, and
 * the providers enabled in that environment.
 *
 * @param namespace the environment's namespace ({@code defaultNamespace} or the {@code ns.} of
 *     {@code --env ns.env})
 * @param concurrency Grove's {@code concurrency} limits ({@code build}, {@code deploy}, {@code
 *     run}, {@code test}, {@code overall}); empty for the defaults
 * @param appNamespace where Deploys go: the kubernetes provider's {@code namespace}, else {@code
 *     <project>-<namespace>}
 */
public record ProjectConfig(
    Path root,
    String name,
    String environment,
    String namespace,
    String appNamespace,
    boolean production,
    Map<String, Object> variables,
    List<Provider> providers,
    String dotIgnoreFile,
    Map<String, Integer> concurrency,
    ConfigDocument document) {

  public ProjectConfig {
    providers = List.copyOf(providers);
  }

  public java.util.Optional<Provider> provider(String name) {
    return providers.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The {@code kubernetes} (or {@code local-kubernetes}) provider, if the environment has one. */
  public java.util.Optional<KubernetesProvider> kubernetes() {
    return providers.stream()
        .filter(KubernetesProvider.class::isInstance)
        .map(KubernetesProvider.class::cast)
        .findFirst();
  }

  /** The kubernetes provider's {@code deploymentRegistry}, if it has one. */
  public java.util.Optional<ImageRegistry> registry() {
    return kubernetes().flatMap(KubernetesProvider::deploymentRegistry);
  }

  /** The kubernetes provider, or one with every field at its default when there is none. */
  public KubernetesProvider kubernetesOrDefaults() {
    return kubernetes().orElseGet(KubernetesProvider::absent);
  }
}
