package dev.grove.orchestrator.config;

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
    List<ProviderConfig> providers,
    String dotIgnoreFile,
    Map<String, Integer> concurrency,
    ConfigDocument document) {

  /** One provider as configured for the environment, templates resolved. */
  public record ProviderConfig(String name, Map<String, Object> config) {}

  public java.util.Optional<ProviderConfig> provider(String name) {
    return providers.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
