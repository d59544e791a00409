package dev.grove.actions.provider;

import java.util.Map;

/**
 * One provider as configured for the environment, templates resolved, parsed once when the project
 * loads. {@link #config()} is what the user wrote (what {@code ${providers.<name>.config}} gives).
 */
public sealed interface Provider
    permits KubernetesProvider, Provider.Exec, Provider.Container, Provider.Other {

  String name();

  Map<String, Object> config();

  /**
   * Garden's {@code exec} provider: its {@code initScript}, run once per load in the project root.
   *
   * @param initScriptLog what the init script printed (trimmed); empty before it ran or without one
   */
  record Exec(String name, Map<String, Object> config, String initScriptLog) implements Provider {
    public Exec {
      config = copy(config);
      initScriptLog = initScriptLog == null ? "" : initScriptLog;
    }

    public Exec(String name, Map<String, Object> config) {
      this(name, config, "");
    }

    /** The shell script to run when the project loads, if the provider has one. */
    public java.util.Optional<String> initScript() {
      return config.get("initScript") instanceof String script && !script.isBlank()
          ? java.util.Optional.of(script)
          : java.util.Optional.empty();
    }
  }

  /** Garden's {@code container} provider: nothing of its config is read. */
  record Container(String name, Map<String, Object> config) implements Provider {
    public Container {
      config = copy(config);
    }
  }

  /** A provider Grove does not act on, kept as written. */
  record Other(String name, Map<String, Object> config) implements Provider {
    public Other {
      config = copy(config);
    }
  }

  /**
   * A shallow, ordered, read-only copy (YAML values may be null, which {@code Map.copyOf} refuses).
   */
  static Map<String, Object> copy(Map<String, Object> config) {
    return config == null
        ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
  }

  /**
   * The provider named {@code name} with its resolved {@code config}.
   *
   * @param projectName the project's name (Garden's defaults of {@code local-kubernetes} use it)
   */
  static Provider of(String name, Map<String, Object> config, String projectName) {
    return switch (name) {
      case KubernetesProvider.KUBERNETES, KubernetesProvider.LOCAL_KUBERNETES ->
          KubernetesProvider.of(name, config, projectName);
      case "exec" -> new Exec(name, config);
      case "container" -> new Container(name, config);
      default -> new Other(name, config);
    };
  }
}
