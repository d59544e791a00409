package dev.grove.actions.helm;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Grove's own Helm folder (under GROVE_HOME): Helm's config, cache, data, registry logins and
 * repositories live here, never in the user's {@code ~/.config/helm}, and the native library is
 * extracted here once per helm-java version and platform.
 */
record HelmHome(Path root) {

  HelmHome {
    root = root.toAbsolutePath().normalize();
  }

  Path registryConfig() {
    // where Helm looks whatever HELM_REGISTRY_CONFIG says (helm-java 0.0.21 reads only
    // HELM_CONFIG_HOME's registry/config.json)
    return root.resolve("config").resolve("registry").resolve("config.json");
  }

  Path repositoryConfig() {
    return root.resolve("repositories.yaml");
  }

  /** Where the native library is extracted, shared by every worker. */
  Path libraries() {
    return root.resolve("lib");
  }

  /** Values files written for one call (Garden's inline {@code values}). */
  Path scratch() {
    return root.resolve("tmp");
  }

  Path workerLog() {
    return root.resolve("worker.log");
  }

  /**
   * The environment Helm 3.21 reads its paths from ({@code helmpath} and {@code cli.EnvSettings}
   * read them when a call starts, from the environment the process started with).
   */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HELM_CONFIG_HOME", root.resolve("config").toString());
    env.put("HELM_CACHE_HOME", root.resolve("cache").toString());
    env.put("HELM_DATA_HOME", root.resolve("data").toString());
    env.put("HELM_REGISTRY_CONFIG", registryConfig().toString());
    env.put("HELM_REPOSITORY_CONFIG", repositoryConfig().toString());
    env.put("HELM_REPOSITORY_CACHE", root.resolve("cache").resolve("repository").toString());
    return env;
  }
}
