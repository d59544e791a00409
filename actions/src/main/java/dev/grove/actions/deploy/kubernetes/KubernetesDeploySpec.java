package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.kube.patch.Patches;
import dev.grove.actions.process.SpecReader;
import dev.grove.actions.process.SpecValues;
import dev.grove.actions.spi.ActionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The spec of a {@code Deploy/kubernetes} action, in Garden's shape and with Garden 0.14's
 * defaults. Manifests are read later, by {@link KubernetesManifests}; this record only holds what
 * the config says.
 *
 * @param manifests inline objects ({@code spec.manifests}), already template-resolved with the rest
 *     of the spec; a {@code kind: List} among them is expanded when rendered
 * @param files Garden 0.13's name of {@code manifestTemplates}
 * @param manifestTemplates files whose {@code ${...}} are resolved, relative to the build folder
 * @param manifestFiles files read as they are, relative to the build folder
 * @param namespace where objects without one go; none means the provider's app namespace
 * @param patchResources patches applied to the objects they name, in order
 * @param waitForJobs a Job counts as deployed only when it has completed
 * @param timeout how long the deploy may take
 * @param injectProviderPullSecrets {@code imagePullSecrets: provider}: Grove adds the {@code
 *     kubernetes} provider's pull secrets to the pod templates whose images need them
 * @param defaultTarget the workload that {@code logs} and {@code exec} pick
 * @param kustomize {@code kustomize build} of a folder, whose objects come after the files'
 */
public record KubernetesDeploySpec(
    List<Map<String, Object>> manifests,
    List<String> files,
    List<String> manifestTemplates,
    List<String> manifestFiles,
    Optional<String> namespace,
    List<PatchResource> patchResources,
    boolean waitForJobs,
    Duration timeout,
    boolean injectProviderPullSecrets,
    Optional<DefaultTarget> defaultTarget,
    Optional<Kustomize> kustomize) {

  /** Garden's default timeout of a Deploy. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);

  /** The one value {@code spec.imagePullSecrets} may have. */
  public static final String PROVIDER = "provider";

  /** The kinds Garden lets {@code defaultTarget} name. */
  public static final List<String> TARGET_KINDS = List.of("Deployment", "DaemonSet", "StatefulSet");

  /** A DNS label, as Kubernetes requires of namespace names. */
  private static final Pattern NAMESPACE = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

  private static final Set<String> STRATEGIES =
      Set.of(Patches.STRATEGIC, Patches.MERGE, Patches.JSON);

  public KubernetesDeploySpec {
    manifests = List.copyOf(manifests);
    files = List.copyOf(files);
    manifestTemplates = List.copyOf(manifestTemplates);
    manifestFiles = List.copyOf(manifestFiles);
    patchResources = List.copyOf(patchResources);
  }

  /**
   * One {@code patchResources} entry: the patch for the objects of that kind and name.
   *
   * @param strategy {@code strategic}, {@code merge} or {@code json}
   * @param patch an object, or a list of operations for {@code json}
   */
  public record PatchResource(String kind, String name, String strategy, Object patch) {}

  /**
   * {@code kustomize}: the folder {@code kustomize build} renders, as Garden runs it.
   *
   * @param path the folder with the {@code kustomization.yaml}, relative to the build folder
   * @param extraArgs more arguments after the path (not {@code -o}/{@code --output}, as in Garden)
   */
  public record Kustomize(String path, List<String> extraArgs) {
    /** The arguments Garden refuses in {@code extraArgs}: the output must come back to it. */
    static final List<String> DISALLOWED = List.of("-o", "--output", "-h", "--help");

    public Kustomize {
      extraArgs = List.copyOf(extraArgs);
    }
  }

  /**
   * {@code defaultTarget}: a workload by kind and name, or the pods a selector picks.
   *
   * @param kind {@code Deployment}, {@code DaemonSet} or {@code StatefulSet}; set with {@code name}
   * @param podSelector labels of the pods; Garden prefers it over kind and name
   * @param containerName the container to use; none means the first
   */
  public record DefaultTarget(
      Optional<String> kind,
      Optional<String> name,
      Map<String, String> podSelector,
      Optional<String> containerName) {
    public DefaultTarget {
      podSelector = Collections.unmodifiableMap(new LinkedHashMap<>(podSelector));
    }
  }

  /**
   * The templated files to read: {@code manifestTemplates}, else {@code files}. Garden ignores
   * {@code files} when both are set (and warns); so does {@link KubernetesManifests}.
   */
  public List<String> templateFiles() {
    return manifestTemplates.isEmpty() ? files : manifestTemplates;
  }

  /**
   * Reads a resolved spec.
   *
   * @param action names it in errors ({@code deploy.backend})
   * @throws ActionException {@code INVALID_SPEC} naming the property
   */
  public static KubernetesDeploySpec parse(Map<String, Object> spec, String action)
      throws ActionException {
    SpecReader read = new SpecReader(action);
    return new KubernetesDeploySpec(
        manifests(read, spec.get("manifests")),
        read.paths(spec.get("files"), "files"),
        read.paths(spec.get("manifestTemplates"), "manifestTemplates"),
        read.paths(spec.get("manifestFiles"), "manifestFiles"),
        namespace(read, spec.get("namespace")),
        patchResources(read, spec.get("patchResources")),
        SpecValues.flag(spec, "waitForJobs", true, action),
        SpecValues.seconds(spec, "timeout", DEFAULT_TIMEOUT, action),
        imagePullSecrets(read, spec.get("imagePullSecrets")),
        defaultTarget(read, spec.get("defaultTarget")),
        kustomize(read, spec.get("kustomize")));
  }

  private static Optional<Kustomize> kustomize(SpecReader read, Object value)
      throws ActionException {
    if (value == null) {
      return Optional.empty();
    }
    String example = "{path: overlays/dev}";
    Map<String, Object> kustomize = read.object(value, "kustomize", example);
    String path = read.string(kustomize.get("path"), "kustomize.path", "overlays/dev").orElse(".");
    List<String> extraArgs =
        read.strings(kustomize.get("extraArgs"), "kustomize.extraArgs", "[--enable-helm]");
    for (String arg : extraArgs) {
      if (Kustomize.DISALLOWED.contains(arg)) {
        throw read.invalid(
            "kustomize.extraArgs",
            arg,
            "arguments other than " + String.join(", ", Kustomize.DISALLOWED),
            "Remove " + arg + ": Grove reads what kustomize build prints, as Garden does.");
      }
    }
    return Optional.of(new Kustomize(path, extraArgs));
  }

  private static List<Map<String, Object>> manifests(SpecReader read, Object value)
      throws ActionException {
    List<?> items = read.list(value, "manifests", "[{apiVersion: v1, kind: ConfigMap, ...}]");
    List<Map<String, Object>> manifests = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (item == null) {
        continue;
      }
      String path = "manifests[" + i + "]";
      if (!(item instanceof Map<?, ?>)) {
        throw read.invalid(
            path,
            item,
            "a Kubernetes object (a map with apiVersion, kind and metadata.name)",
            "Write each item of spec.manifests as an object, such as {apiVersion: v1, kind:"
                + " ConfigMap, metadata: {name: config}, data: {...}}.");
      }
      manifests.add(Trees.frozenMap(item, read.action() + ": spec." + path));
    }
    return manifests;
  }

  /** {@code spec.namespace}: a namespace name (shared with {@code Deploy/helm}). */
  public static Optional<String> namespace(SpecReader read, Object value) throws ActionException {
    Optional<String> namespace = read.string(value, "namespace", "dev");
    if (namespace.isPresent() && !NAMESPACE.matcher(namespace.get()).matches()) {
      throw read.problem(
          "namespace",
          "is \""
              + namespace.get()
              + "\"; a namespace name has at most 63 lower-case letters, digits and dashes, and"
              + " starts and ends with a letter or digit",
          "Rename it, such as shop-dev, or remove it to use the provider's namespace.");
    }
    return namespace;
  }

  /** {@code spec.patchResources} (shared with {@code Deploy/helm}). */
  public static List<PatchResource> patchResources(SpecReader read, Object value)
      throws ActionException {
    String example = "[{kind: Deployment, name: backend, patch: {spec: {replicas: 2}}}]";
    List<?> items = read.list(value, "patchResources", example);
    List<PatchResource> patches = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        continue;
      }
      String path = "patchResources[" + i + "]";
      Map<String, Object> item = read.object(items.get(i), path, example);
      String kind =
          read.string(item.get("kind"), path + ".kind", "Deployment")
              .orElseThrow(
                  () ->
                      read.missing(
                          path + ".kind",
                          "it names the kind of the objects to patch",
                          "Set it, such as kind: Deployment."));
      String name =
          read.string(item.get("name"), path + ".name", "backend")
              .orElseThrow(
                  () ->
                      read.missing(
                          path + ".name",
                          "it names the object to patch",
                          "Set it to the object's metadata.name."));
      String strategy =
          read.string(item.get("strategy"), path + ".strategy", "merge").orElse(Patches.STRATEGIC);
      if (!STRATEGIES.contains(strategy)) {
        throw read.invalid(
            path + ".strategy",
            item.get("strategy"),
            "strategic, merge or json",
            "Set spec."
                + path
                + ".strategy to strategic (the default, as kubectl patch), merge (JSON merge"
                + " patch) or json (JSON patch operations).");
      }
      Object patch = item.get("patch");
      if (patch == null) {
        throw read.missing(
            path + ".patch",
            "it is what is changed in " + kind + " " + name,
            "Add the part of the manifest to change, such as patch: {spec: {replicas: 2}}.");
      }
      if (strategy.equals(Patches.JSON) && !(patch instanceof List<?>)) {
        throw read.invalid(
            path + ".patch",
            patch,
            "a list of JSON patch operations (strategy: json)",
            "Write it as a list, such as [{op: replace, path: /spec/replicas, value: 2}], or"
                + " use strategy: strategic for an object.");
      }
      if (!strategy.equals(Patches.JSON) && !(patch instanceof Map<?, ?>)) {
        throw read.invalid(
            path + ".patch",
            patch,
            "an object (strategy: " + strategy + ")",
            "Write it as the part of the manifest to change, such as {spec: {replicas: 2}}, or"
                + " use strategy: json for a list of operations.");
      }
      patches.add(
          new PatchResource(
              kind, name, strategy, Trees.frozen(patch, read.action() + ": spec." + path)));
    }
    return patches;
  }

  /**
   * {@code spec.imagePullSecrets}: {@code provider} or absent (shared with {@code Deploy/helm}).
   */
  public static boolean imagePullSecrets(SpecReader read, Object value) throws ActionException {
    if (value == null) {
      return false;
    }
    if (PROVIDER.equals(value)) {
      return true;
    }
    throw read.invalid(
        "imagePullSecrets",
        value,
        PROVIDER,
        "Set spec.imagePullSecrets: provider to have Grove add the kubernetes provider's"
            + " imagePullSecrets to the pod templates, or remove it and name secrets in a"
            + " patchResources entry (patch: {spec: {template: {spec: {imagePullSecrets: [{name:"
            + " <secret>}]}}}}).");
  }

  /** {@code spec.defaultTarget} (shared with {@code Deploy/helm}). */
  public static Optional<DefaultTarget> defaultTarget(SpecReader read, Object value)
      throws ActionException {
    if (value == null) {
      return Optional.empty();
    }
    String example = "{kind: Deployment, name: backend}";
    Map<String, Object> target = read.object(value, "defaultTarget", example);
    Optional<String> kind = read.string(target.get("kind"), "defaultTarget.kind", "Deployment");
    Optional<String> name = read.string(target.get("name"), "defaultTarget.name", "backend");
    Map<String, String> podSelector =
        read.stringMap(target.get("podSelector"), "defaultTarget.podSelector", "{app: backend}");
    Optional<String> container =
        read.string(target.get("containerName"), "defaultTarget.containerName", "backend");
    if (kind.isPresent() && !TARGET_KINDS.contains(kind.get())) {
      throw read.invalid(
          "defaultTarget.kind",
          kind.get(),
          String.join(", ", TARGET_KINDS.subList(0, 2)) + " or " + TARGET_KINDS.get(2),
          "Name a workload of the manifests, such as " + example + ".");
    }
    if (kind.isPresent() != name.isPresent()) {
      String missing = kind.isPresent() ? "name" : "kind";
      throw read.missing(
          "defaultTarget." + missing,
          "a target is named by kind and name together",
          "Set both, such as " + example + ", or use podSelector.");
    }
    if (kind.isEmpty() && podSelector.isEmpty()) {
      throw read.problem(
          "defaultTarget",
          "names no workload",
          "Set kind and name, such as " + example + ", or podSelector: {app: backend}.");
    }
    return Optional.of(new DefaultTarget(kind, name, podSelector, container));
  }
}
