package dev.grove.actions.deploy.helm;

import dev.grove.actions.deploy.kubernetes.KubernetesDeploySpec;
import dev.grove.actions.deploy.kubernetes.KubernetesDeploySpec.DefaultTarget;
import dev.grove.actions.deploy.kubernetes.KubernetesDeploySpec.PatchResource;
import dev.grove.actions.process.SpecReader;
import dev.grove.actions.process.SpecValues;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.value.ValueTrees;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The spec of a {@code Deploy/helm} action, in Garden 0.13's shape and with its defaults; {@code
 * patchResources} (Garden 0.14) and {@code imagePullSecrets: provider} as for {@code
 * Deploy/kubernetes}.
 *
 * @param chart where the chart comes from
 * @param values Garden's {@code values}: the highest precedence, after the value files
 * @param valueFiles value files relative to the action's folder, lowest precedence first
 * @param releaseName the Helm release's name; none means the action's name
 * @param namespace the release's namespace; none means the provider's app namespace
 * @param atomic Helm's {@code --atomic}: a failed upgrade rolls back (and Helm waits)
 * @param timeout how long Helm and the rollout may take
 * @param waitForUnhealthyResources Helm waits for its resources ({@code --wait}) before Grove
 *     looks, instead of Grove failing as soon as a pod cannot start
 */
public record HelmDeploySpec(
    Chart chart,
    Map<String, Object> values,
    List<String> valueFiles,
    Optional<String> releaseName,
    Optional<String> namespace,
    boolean atomic,
    Duration timeout,
    boolean waitForUnhealthyResources,
    List<PatchResource> patchResources,
    boolean injectProviderPullSecrets,
    Optional<DefaultTarget> defaultTarget) {

  /** Garden's {@code defaultHelmTimeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);

  /** Garden's {@code joiIdentifier}: what a release name may be. */
  private static final Pattern IDENTIFIER = Pattern.compile("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");

  private static final Set<String> CHART_KEYS = Set.of("path", "name", "repo", "url", "version");

  public HelmDeploySpec {
    values = ValueTrees.map(values);
    valueFiles = List.copyOf(valueFiles);
    patchResources = List.copyOf(patchResources);
  }

  /**
   * {@code chart}: exactly one of a local {@code path}, a {@code name} (with {@code repo}, or an
   * {@code oci://} name), or a packaged chart's {@code url}; {@code version} with a name or URL.
   */
  public record Chart(
      Optional<String> path,
      Optional<String> name,
      Optional<String> repo,
      Optional<String> url,
      Optional<String> version) {

    /** Whether the chart is a folder of the action's (Grove renders it and counts its files). */
    public boolean local() {
      return path.isPresent();
    }

    /** How the chart is named in messages: its path, name (and repo) or URL, and version. */
    public String describe() {
      String what =
          path.map(p -> "chart " + p)
              .or(() -> url.map(u -> "chart " + u))
              .orElseGet(() -> "chart " + name.orElse("") + repo.map(r -> " from " + r).orElse(""));
      return what + version.map(v -> " version " + v).orElse("");
    }
  }

  /**
   * Reads a resolved spec.
   *
   * @param action names it in errors ({@code deploy.web})
   * @throws ActionException {@code INVALID_SPEC} naming the property
   */
  public static HelmDeploySpec parse(Map<String, Object> spec, String action)
      throws ActionException {
    SpecReader read = new SpecReader(action);
    Optional<String> releaseName = read.string(spec.get("releaseName"), "releaseName", "web");
    if (releaseName.isPresent() && !IDENTIFIER.matcher(releaseName.get()).matches()) {
      throw read.problem(
          "releaseName",
          "is \""
              + releaseName.get()
              + "\"; a release name is lower-case letters, digits and single dashes, starting"
              + " with a letter",
          "Rename it, such as web-api, or remove it to use the action's name.");
    }
    Map<String, Object> values = read.object(spec.get("values"), "values", "{replicas: 2}");
    return new HelmDeploySpec(
        chart(read, spec.get("chart")),
        frozen(values, action),
        read.paths(spec.get("valueFiles"), "valueFiles"),
        releaseName,
        KubernetesDeploySpec.namespace(read, spec.get("namespace")),
        SpecValues.flag(spec, "atomic", false, action),
        SpecValues.seconds(spec, "timeout", DEFAULT_TIMEOUT, action),
        SpecValues.flag(spec, "waitForUnhealthyResources", false, action),
        KubernetesDeploySpec.patchResources(read, spec.get("patchResources")),
        KubernetesDeploySpec.imagePullSecrets(read, spec.get("imagePullSecrets")),
        KubernetesDeploySpec.defaultTarget(read, spec.get("defaultTarget")));
  }

  private static Map<String, Object> frozen(Map<String, Object> values, String action)
      throws ActionException {
    return ValueTrees.map(
        ValueTrees.copyJson(
            values,
            true,
            notJson ->
                new SpecReader(action)
                    .invalid(
                        "values" + (notJson.path().isEmpty() ? "" : "." + notJson.path()),
                        notJson.what(),
                        "a string, number, boolean, list or map",
                        "Write Helm values as YAML data.")));
  }

  /**
   * Garden's rules: {@code path} alone, {@code url} alone, or a {@code name}; none is {@code .}.
   */
  private static Chart chart(SpecReader read, Object value) throws ActionException {
    String example = "{path: chart}";
    Map<String, Object> chart = read.object(value, "chart", example);
    read.onlyKeys(chart, "chart", CHART_KEYS);
    Optional<String> path = read.string(chart.get("path"), "chart.path", "chart");
    Optional<String> name = read.string(chart.get("name"), "chart.name", "ingress-nginx");
    Optional<String> repo =
        read.string(chart.get("repo"), "chart.repo", "https://kubernetes.github.io/ingress-nginx");
    Optional<String> url =
        read.string(chart.get("url"), "chart.url", "oci://registry.example.com/charts/web");
    Optional<String> version =
        chart.get("version") == null
            ? Optional.empty()
            : Optional.of(SpecValues.stringOf(chart.get("version"))).filter(v -> !v.isBlank());
    int sources =
        (path.isPresent() ? 1 : 0) + (name.isPresent() ? 1 : 0) + (url.isPresent() ? 1 : 0);
    if (sources > 1 || (path.isPresent() && (repo.isPresent() || version.isPresent()))) {
      throw read.problem(
          "chart",
          "sets "
              + String.join(
                  " and ", CHART_KEYS.stream().sorted().filter(k -> chart.get(k) != null).toList())
              + "; a chart is a local path, a name (with repo and version), or a URL (with"
              + " version)",
          "Keep one: {path: chart}, {name: ingress-nginx, repo: https://..., version: 4.10.0} or"
              + " {url: oci://registry.example.com/charts/web, version: 1.2.0}.");
    }
    if (url.isPresent() && repo.isPresent()) {
      throw read.problem(
          "chart.repo",
          "is set with chart.url; a URL names the chart and where it is",
          "Remove chart.repo, or use chart.name with chart.repo instead of chart.url.");
    }
    if (repo.isPresent() && name.isEmpty()) {
      throw read.missing(
          "chart.name", "chart.repo needs the chart's name", "Set chart.name, such as web.");
    }
    if (path.isPresent()) {
      String p = path.get().replace('\\', '/');
      // Garden allows only folders inside the action's; Grove also takes ../ (a helm Module's
      // base chart converts to one, as Grove does not copy the base's files)
      if (p.startsWith("/") || p.matches("^[A-Za-z]:.*")) {
        throw read.problem(
            "chart.path",
            "is \"" + path.get() + "\"; it must be relative to the action's folder",
            "Write it relative to the action's folder, such as chart.");
      }
    }
    if (sources == 0) {
      path = Optional.of(".");
    }
    return new Chart(path, name, repo, url, version);
  }
}
