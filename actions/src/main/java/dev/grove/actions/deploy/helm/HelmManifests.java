package dev.grove.actions.deploy.helm;

import dev.grove.actions.deploy.kubernetes.KubernetesManifests;
import dev.grove.actions.deploy.kubernetes.KubernetesManifests.Declared;
import dev.grove.actions.deploy.kubernetes.PullSecrets;
import dev.grove.actions.kube.ClusterScopedKinds;
import dev.grove.actions.kube.KubeApplier;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.event.EventPayload.Warning;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chart's objects as Grove deploys them: {@code helm template}'s output, post-rendered by the
 * steps every Kubernetes Deploy shares ({@link KubernetesManifests#postRender}: {@code
 * patchResources}, namespaces, Grove's labels and version annotation, pull secrets). Pure.
 */
final class HelmManifests {

  /** {@code # Source: web/templates/deployment.yaml}, which Helm writes above each document. */
  private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: (.+?)\\s*$");

  private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*(?:#.*)?$");

  /** Helm's annotation of a hook (installed around the release, not part of it). */
  static final String HOOK = "helm.sh/hook";

  private HelmManifests() {}

  /**
   * One post-rendered object.
   *
   * @param source the chart file Helm rendered it from ({@code web/templates/deployment.yaml})
   */
  record ChartObject(Map<String, Object> object, String source) {

    /** Whether it comes from a chart's {@code crds/} folder (Helm installs those first, once). */
    boolean crd() {
      return source.matches("^[^/]+/(charts/[^/]+/)*crds/.*");
    }

    /** Whether it is a hook: Helm runs it around installs and deletes it as its policy says. */
    boolean hook() {
      return object.get("metadata") instanceof Map<?, ?> metadata
          && metadata.get("annotations") instanceof Map<?, ?> annotations
          && annotations.get(HOOK) != null;
    }

    KubeApplier.ObjectId id() {
      Map<?, ?> metadata = (Map<?, ?>) object.get("metadata");
      String apiVersion = (String) object.get("apiVersion");
      String kind = (String) object.get("kind");
      return new KubeApplier.ObjectId(
          apiVersion,
          kind,
          ClusterScopedKinds.isClusterScoped(apiVersion, kind)
              ? null
              : (String) metadata.get("namespace"),
          (String) metadata.get("name"));
    }
  }

  /**
   * The result of {@link #postRender}.
   *
   * @param chartName the chart's name as Helm printed it in the sources (for a remote chart's
   *     rendered copy); empty when it rendered nothing
   */
  record ChartRender(List<ChartObject> objects, List<Warning> warnings, String chartName) {
    ChartRender {
      objects = List.copyOf(objects);
      warnings = List.copyOf(warnings);
    }

    List<Map<String, Object>> maps() {
      return objects.stream().map(ChartObject::object).toList();
    }

    /** The release's own objects, which status and the rollout look at: no hooks. */
    List<KubeApplier.ObjectId> releaseIds() {
      return objects.stream().filter(o -> !o.hook()).map(ChartObject::id).toList();
    }
  }

  /**
   * Post-renders {@code helm template}'s output.
   *
   * @param action {@code deploy.web}
   * @param namespace the release's namespace, set on namespaced objects without one
   * @throws ActionException {@code INVALID_SPEC}: a document is not a Kubernetes object, an object
   *     is declared twice, a patch does not apply
   */
  static ChartRender postRender(
      String action,
      String version,
      String manifests,
      HelmDeploySpec spec,
      String namespace,
      PullSecrets pullSecrets)
      throws ActionException {
    List<Declared> declared = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    String source = "the chart's output";
    for (String chunk : SEPARATOR.split(manifests)) {
      Matcher m = SOURCE.matcher(chunk);
      if (m.find()) {
        source = m.group(1);
      }
      for (Declared d : KubernetesManifests.declared(action, source, chunk)) {
        LocalChart.restoreHooks(d.object());
        declared.add(d);
        sources.add(source);
      }
    }
    // postRender keeps the objects in order, one for one, changing them in place or copying
    List<Warning> warnings = new ArrayList<>();
    KubernetesManifests.Rendered rendered =
        KubernetesManifests.postRender(
            action,
            version,
            declared,
            spec.patchResources(),
            namespace,
            spec.injectProviderPullSecrets(),
            pullSecrets,
            warnings);
    List<ChartObject> objects = new ArrayList<>();
    for (int i = 0; i < rendered.objects().size(); i++) {
      objects.add(new ChartObject(rendered.objects().get(i), sources.get(i)));
    }
    String chartName = sources.isEmpty() ? "" : sources.get(0).split("/", 2)[0];
    return new ChartRender(objects, rendered.warnings(), chartName);
  }
}
