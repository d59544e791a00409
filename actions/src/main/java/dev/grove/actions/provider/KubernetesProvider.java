package dev.grove.actions.provider;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Garden's {@code kubernetes} provider, or {@code local-kubernetes} with Garden's defaults: what
 * Grove reads of it, typed. Values of the wrong type read as absent: the project loader reports
 * them (with file, line and property) before anything runs.
 *
 * @param config the resolved config as written
 * @param context the kubeconfig context to use; empty for the kubeconfig's current one
 * @param kubeconfig the kubeconfig file (relative to the project); empty for KUBECONFIG or {@code
 *     ~/.kube/config}
 * @param namespace the app namespace the provider names, with its labels and annotations
 * @param buildMode how images are built ({@code local-docker} by default)
 * @param defaultHostname the hostname of ingresses that name none; {@code local-kubernetes}
 *     defaults it to {@code <project>.local.demo.garden}, as Garden does
 * @param ingressClass the ingress class of generated ingresses
 * @param deploymentRegistry where deployment images are pushed
 * @param imagePullSecrets secrets copied into app namespaces and set on pods
 * @param copySecrets secrets copied into app namespaces
 */
public record KubernetesProvider(
    String name,
    Map<String, Object> config,
    Optional<String> context,
    Optional<String> kubeconfig,
    Optional<Namespace> namespace,
    String buildMode,
    Optional<String> defaultHostname,
    Optional<String> ingressClass,
    Optional<ImageRegistry> deploymentRegistry,
    List<SecretRef> imagePullSecrets,
    List<SecretRef> copySecrets)
    implements Provider {
  public static final String KUBERNETES = "kubernetes";
  public static final String LOCAL_KUBERNETES = "local-kubernetes";

  /** Garden's default build mode. */
  public static final String DEFAULT_BUILD_MODE = "local-docker";

  /** The provider's {@code namespace}: a name, or {@code {name, labels, annotations}}. */
  public record Namespace(
      String name, Map<String, String> labels, Map<String, String> annotations) {
    public Namespace {
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
      annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }
  }

  public KubernetesProvider {
    config = Provider.copy(config);
    buildMode = buildMode == null || buildMode.isBlank() ? DEFAULT_BUILD_MODE : buildMode;
    imagePullSecrets = List.copyOf(imagePullSecrets);
    copySecrets = List.copyOf(copySecrets);
  }

  /** Whether {@code name} is one of the kubernetes providers. */
  public static boolean isKubernetes(String name) {
    return name.equals(KUBERNETES) || name.equals(LOCAL_KUBERNETES);
  }

  /** What a project without a kubernetes provider gets: every field at its default. */
  public static KubernetesProvider absent() {
    return of(KUBERNETES, Map.of(), "");
  }

  /** Parses the resolved config of the {@code kubernetes} or {@code local-kubernetes} provider. */
  public static KubernetesProvider of(String name, Map<String, Object> config, String projectName) {
    Optional<String> defaultHostname = text(config.get("defaultHostname"));
    if (defaultHostname.isEmpty() && name.equals(LOCAL_KUBERNETES)) {
      defaultHostname = Optional.of(projectName + ".local.demo.garden");
    }
    return new KubernetesProvider(
        name,
        config,
        text(config.get("context")),
        text(config.get("kubeconfig")),
        namespace(config.get("namespace")),
        config.get("buildMode") instanceof String mode ? mode : null,
        defaultHostname,
        text(config.get("ingressClass")),
        registry(config.get("deploymentRegistry")),
        secrets(config.get("imagePullSecrets")),
        secrets(config.get("copySecrets")));
  }

  /** Whether this is Grove's sandbox: its context, and no kubeconfig of its own. */
  public boolean usesSandbox(String sandboxContext) {
    return context.filter(sandboxContext::equals).isPresent() && config.get("kubeconfig") == null;
  }

  /** The labels and annotations the provider gives {@code namespace}; none for other names. */
  public Optional<Namespace> namespaceSettings(String namespace) {
    return this.namespace.filter(ns -> ns.name().equals(namespace));
  }

  /** The secrets to copy into every app namespace: the pull secrets, then {@code copySecrets}. */
  public List<SecretRef> secretsToCopy() {
    List<SecretRef> all = new ArrayList<>(imagePullSecrets);
    all.addAll(copySecrets);
    return all;
  }

  /**
   * A registry port: a number, or digits in a string (what a template such as {@code
   * ${local.env.REGISTRY_PORT}} gives; Garden's schema converts them too); null otherwise.
   */
  public static Integer port(Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    if (value instanceof String text && text.matches("[0-9]{1,5}")) {
      return Integer.valueOf(text);
    }
    return null;
  }

  private static Optional<String> text(Object value) {
    return value instanceof String text && !text.isBlank() ? Optional.of(text) : Optional.empty();
  }

  private static Optional<Namespace> namespace(Object value) {
    if (value instanceof String name && !name.isEmpty()) {
      return Optional.of(new Namespace(name, Map.of(), Map.of()));
    }
    if (value instanceof Map<?, ?> map
        && map.get("name") instanceof String name
        && !name.isEmpty()) {
      return Optional.of(
          new Namespace(name, strings(map.get("labels")), strings(map.get("annotations"))));
    }
    return Optional.empty();
  }

  private static Map<String, String> strings(Object value) {
    Map<String, String> strings = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> strings.put(String.valueOf(k), String.valueOf(v)));
    }
    return strings;
  }

  private static Optional<ImageRegistry> registry(Object value) {
    if (value instanceof Map<?, ?> registry && registry.get("hostname") instanceof String host) {
      return Optional.of(
          new ImageRegistry(
              host,
              port(registry.get("port")),
              registry.get("namespace") instanceof String ns ? ns : null,
              Boolean.TRUE.equals(registry.get("insecure")),
              Boolean.TRUE.equals(registry.get("createRepository"))));
    }
    return Optional.empty();
  }

  private static List<SecretRef> secrets(Object value) {
    List<SecretRef> refs = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object entry : list) {
        if (entry instanceof Map<?, ?> map && map.get("name") instanceof String name) {
          Object namespace = map.get("namespace");
          refs.add(
              new SecretRef(
                  name, namespace instanceof String ns && !ns.isBlank() ? ns : "default"));
        }
      }
    }
    return refs;
  }
}
