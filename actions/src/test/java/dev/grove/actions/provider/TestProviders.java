package dev.grove.actions.provider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Kubernetes providers for handler tests, written as a user would configure them. */
public final class TestProviders {
  private TestProviders() {}

  /** A {@code kubernetes} provider with this registry (if any) and build mode. */
  public static KubernetesProvider kubernetes(Optional<ImageRegistry> registry, String buildMode) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("buildMode", buildMode);
    registry.ifPresent(
        r -> {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("hostname", r.hostname());
          entry.put("port", r.port());
          entry.put("namespace", r.namespace());
          entry.put("insecure", r.insecure());
          entry.put("createRepository", r.createRepository());
          config.put("deploymentRegistry", entry);
        });
    return KubernetesProvider.of(KubernetesProvider.KUBERNETES, config, "test");
  }
}
