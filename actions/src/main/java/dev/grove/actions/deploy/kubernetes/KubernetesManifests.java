package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.deploy.kubernetes.KubernetesDeploySpec.PatchResource;
import dev.grove.actions.kube.ClusterScopedKinds;
import dev.grove.actions.kube.GroveLabels;
import dev.grove.actions.kube.patch.PatchException;
import dev.grove.actions.kube.patch.Patches;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.event.EventPayload.Warning;
import dev.grove.api.value.ValueTrees;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects a {@code Deploy/kubernetes} applies, computed from its spec and files. The steps
 * follow Garden 0.13's pipeline: read the manifests (expanding {@code List}s), apply {@code
 * patchResources}, default namespaces, reject duplicates, then Grove's labels and annotation; then
 * Grove's own step, pull secrets: the opt-in injection of the provider's secrets and the lint that
 * warns before a pod fails with {@code ImagePullBackOff} (Garden never injects pull secrets).
 *
 * <p>Pure but for reading the manifest files (and what {@code kustomize build} prints): the same
 * input gives the same maps, in the same key order, so a render is byte-stable.
 *
 * <p>Grove's label and annotation go on each object's own metadata only. Selectors and pod template
 * labels stay as the user wrote them: a Deployment's selector cannot change once applied, and a
 * label added to the template but not the selector would restart every pod on the first Grove
 * deploy for nothing.
 */
public final class KubernetesManifests {

  private KubernetesManifests() {}

  /**
   * The result of {@link #render}.
   *
   * @param objects in declaration order, each a new map the caller may change
   */
  public record Rendered(List<Map<String, Object>> objects, List<Warning> warnings) {
    public Rendered {
      objects = List.copyOf(objects);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * An object and where it was declared.
   *
   * @param origin for messages: {@code spec.manifests[0]}, {@code backend/deployment.yml document 2
   *     (line 14)}, with {@code , item 3 of its List} for a List's item
   */
  public record Declared(Map<String, Object> object, String origin) {}

  /**
   * Reads the objects of a YAML stream that is not templated (what {@code helm template} printed),
   * {@code List}s expanded, each checked to be a Kubernetes object.
   *
   * @param origin names the text in messages ({@code web/templates/deployment.yaml})
   * @throws ActionException {@code INVALID_SPEC}: not YAML, or a document is not an object
   */
  public static List<Declared> declared(String action, String origin, String text)
      throws ActionException {
    List<Declared> declared = new ArrayList<>();
    ManifestSources.readText(action, origin, text, ManifestTemplater.NONE, declared);
    return declared;
  }

  /**
   * Renders the objects of a {@code Deploy/kubernetes}.
   *
   * @param actionName the action's name ({@code backend}); its objects get the label {@code
   *     grove.dev/action: deploy.<name>}
   * @param version the action's version, the {@code grove.dev/version} annotation
   * @param buildDir where manifest paths point: the action's folder, or its Build's folder when the
   *     Deploy sets {@code build:}
   * @param defaultNamespace the provider's app namespace, used when the spec sets none
   * @param templater resolves the {@code ${...}} of templated files, document by document
   * @param kustomize runs {@code kustomize build} when the spec has {@code kustomize}
   * @throws ActionException {@code INVALID_SPEC}: a file is missing or is not valid YAML, a
   *     document is not a Kubernetes object, an object is declared twice, a patch cannot be
   *     applied; or what the templater throws
   */
  public static Rendered render(
      String actionName,
      String version,
      KubernetesDeploySpec spec,
      Path buildDir,
      String defaultNamespace,
      ManifestTemplater templater,
      PullSecrets pullSecrets,
      KustomizeBuild.Runner kustomize)
      throws ActionException {
    String action = "deploy." + actionName;
    List<Warning> warnings = new ArrayList<>();
    List<Declared> declared =
        ManifestSources.read(action, spec, buildDir, templater, kustomize, warnings);
    return postRender(
        action,
        version,
        declared,
        spec.patchResources(),
        spec.namespace().orElse(defaultNamespace),
        spec.injectProviderPullSecrets(),
        pullSecrets,
        warnings);
  }

  /**
   * The steps after reading, shared by every Deploy type that applies Kubernetes objects (a {@code
   * helm} Deploy post-renders its chart's output with them): {@code patchResources}, namespaces
   * defaulted, duplicates rejected, Grove's labels and version annotation, pull secrets linted or
   * injected.
   *
   * @param action {@code deploy.<name>}
   * @param warnings where findings go; the result holds them all
   */
  public static Rendered postRender(
      String action,
      String version,
      List<Declared> declared,
      List<PatchResource> patches,
      String namespace,
      boolean injectProviderPullSecrets,
      PullSecrets pullSecrets,
      List<Warning> warnings)
      throws ActionException {
    declared = patch(action, patches, declared, warnings);
    for (Declared d : declared) {
      defaultNamespace(d.object(), namespace);
    }
    rejectDuplicates(action, declared);
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Declared d : declared) {
      label(action, version, d);
      objects.add(d.object());
    }
    PullSecretEnricher.apply(
        action, injectProviderPullSecrets, pullSecrets, namespace, objects, warnings);
    return new Rendered(objects, warnings);
  }

  /**
   * Applies each entry, in order, to every object of its kind and name (Garden applies only the
   * first entry that matches an object; two entries for one object both apply here).
   */
  private static List<Declared> patch(
      String action, List<PatchResource> patches, List<Declared> declared, List<Warning> warnings)
      throws ActionException {
    List<Declared> patched = new ArrayList<>(declared);
    for (int i = 0; i < patches.size(); i++) {
      PatchResource entry = patches.get(i);
      String path = "spec.patchResources[" + i + "]";
      boolean matched = false;
      for (int j = 0; j < patched.size(); j++) {
        Declared d = patched.get(j);
        if (!entry.kind().equals(d.object().get("kind"))
            || !entry.name().equals(name(d.object()))) {
          continue;
        }
        matched = true;
        Map<String, Object> result;
        try {
          result = Patches.apply(d.object(), entry.strategy(), entry.patch());
        } catch (PatchException e) {
          throw new ActionException(
              ActionCodes.INVALID_SPEC,
              action
                  + ": "
                  + path
                  + " ("
                  + entry.strategy()
                  + " patch of "
                  + entry.kind()
                  + " "
                  + entry.name()
                  + ") does not apply to "
                  + d.origin()
                  + ": "
                  + e.getMessage(),
              e.suggestion());
        }
        String missing = ManifestSources.missingField(result);
        if (missing != null) {
          throw new ActionException(
              ActionCodes.INVALID_SPEC,
              action + ": " + path + " removes the " + missing + " of " + d.origin() + ".",
              "Patch other fields; every object keeps its apiVersion, kind and metadata.name.");
        }
        patched.set(j, new Declared(result, d.origin()));
      }
      if (!matched) {
        warnings.add(unmatched(action, path, entry, patched));
      }
    }
    return patched;
  }

  private static Warning unmatched(
      String action, String path, PatchResource entry, List<Declared> declared) {
    List<String> sameKind = new ArrayList<>();
    List<String> sameName = new ArrayList<>();
    for (Declared d : declared) {
      String kind = String.valueOf(d.object().get("kind"));
      String name = name(d.object());
      if (kind.equalsIgnoreCase(entry.kind())) {
        sameKind.add(kind + " " + name);
      } else if (name.equalsIgnoreCase(entry.name())) {
        sameName.add(kind + " " + name);
      }
    }
    List<String> near = new ArrayList<>(sameKind);
    near.addAll(sameName);
    String hint =
        near.isEmpty()
            ? ""
            : " The manifests have "
                + String.join(", ", near.subList(0, Math.min(near.size(), 5)))
                + (near.size() > 5 ? ", ..." : "")
                + ".";
    return new Warning(
        ActionCodes.GROVE_PATCH_UNMATCHED,
        action
            + ": "
            + path
            + " patches "
            + entry.kind()
            + " "
            + entry.name()
            + ", but the manifests have no "
            + entry.kind()
            + " named "
            + entry.name()
            + "; the patch does nothing.",
        "Set kind and name as the object's kind and metadata.name (both case-sensitive), or"
            + " remove the entry."
            + hint);
  }

  /** Sets the namespace of a namespaced object that has none; keeps one the user wrote. */
  private static void defaultNamespace(Map<String, Object> object, String namespace) {
    if (isClusterScoped(object)) {
      return;
    }
    Map<String, Object> metadata = ValueTrees.map(object.get("metadata"));
    if (!(metadata.get("namespace") instanceof String ns) || ns.isBlank()) {
      metadata.put("namespace", namespace);
    }
  }

  /** The same group, kind, namespace and name twice: one would silently replace the other. */
  private static void rejectDuplicates(String action, List<Declared> declared)
      throws ActionException {
    Map<String, Declared> seen = new HashMap<>();
    for (Declared d : declared) {
      Map<String, Object> object = d.object();
      String namespace = isClusterScoped(object) ? "" : namespace(object);
      String key =
          ClusterScopedKinds.group((String) object.get("apiVersion"))
              + "/"
              + object.get("kind")
              + "/"
              + namespace
              + "/"
              + name(object);
      Declared first = seen.putIfAbsent(key, d);
      if (first != null) {
        throw new ActionException(
            ActionCodes.INVALID_SPEC,
            action
                + ": "
                + object.get("kind")
                + " "
                + name(object)
                + (namespace.isEmpty() ? "" : " (namespace " + namespace + ")")
                + " is declared twice: in "
                + first.origin()
                + " and in "
                + d.origin()
                + ".",
            "Keep one of the two, or give them different names; applying both would leave only"
                + " the last.");
      }
    }
  }

  /**
   * Grove's action label and version annotation, which delete, prune and status rely on, so they
   * are always Grove's; {@code app.kubernetes.io/managed-by} only when the user wrote none. Other
   * labels and annotations are the user's and stay.
   */
  private static void label(String action, String version, Declared d) throws ActionException {
    Map<String, Object> metadata = ValueTrees.map(d.object().get("metadata"));
    Map<String, Object> labels = stringMap(action, d, metadata, "labels");
    labels.putIfAbsent(GroveLabels.MANAGED_BY, GroveLabels.MANAGER);
    labels.put(GroveLabels.ACTION, action);
    stringMap(action, d, metadata, "annotations").put(GroveLabels.VERSION, version);
  }

  private static Map<String, Object> stringMap(
      String action, Declared d, Map<String, Object> metadata, String field)
      throws ActionException {
    Object value = metadata.get(field);
    if (value == null) {
      Map<String, Object> created = new LinkedHashMap<>();
      metadata.put(field, created);
      return created;
    }
    if (!(value instanceof Map<?, ?>)) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          action + ": the metadata." + field + " of " + d.origin() + " is not a map.",
          "Write metadata." + field + " as a map of names to strings.");
    }
    return ValueTrees.map(value);
  }

  private static boolean isClusterScoped(Map<String, Object> object) {
    return ClusterScopedKinds.isClusterScoped(
        (String) object.get("apiVersion"), (String) object.get("kind"));
  }

  static String name(Map<String, Object> object) {
    return object.get("metadata") instanceof Map<?, ?> m && m.get("name") instanceof String n
        ? n
        : null;
  }

  static String namespace(Map<String, Object> object) {
    return object.get("metadata") instanceof Map<?, ?> m && m.get("namespace") instanceof String n
        ? n
        : "";
  }
}
