package dev.grove.actions.deploy.helm;

import dev.grove.actions.deploy.helm.HelmManifests.ChartObject;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart Grove installs: the user's chart already rendered and post-rendered. Helm-java has no
 * post-renderer (its install and upgrade options have none), so Grove renders the chart itself
 * ({@code helm template}), changes the objects as every Kubernetes Deploy does (labels, version
 * annotation, {@code patchResources}, pull secrets), and installs this chart instead:
 *
 * <pre>
 * Chart.yaml          name, version, appVersion, description of the original (no dependencies)
 * files/&lt;n&gt;.yaml      each post-rendered object
 * templates/&lt;n&gt;.yaml  {{ .Files.Get "files/&lt;n&gt;.yaml" }}: the object as it is, templated once only
 * crds/&lt;n&gt;.yaml       the chart's CRDs (Helm installs them before the rest, and never upgrades them)
 * </pre>
 *
 * Hooks stay hooks (their {@code helm.sh/hook} annotations are on the objects); the release keeps
 * the original chart's name and version, and the user's values (so {@code helm get values} shows
 * them), which the templates no longer read.
 */
final class RenderedChart {

  /** SemVer as Helm requires of a chart's version. */
  private static final Pattern SEMVER = Pattern.compile("^v?[0-9]+(\\.[0-9]+){0,2}([-+].*)?$");

  private RenderedChart() {}

  /**
   * The original chart's metadata: what its {@code Chart.yaml} says, or for a remote chart its name
   * as Helm printed it and the version the spec asks for.
   */
  record Metadata(String name, String version, String appVersion, String description) {

    static Metadata of(Path chartDir, String action) throws ActionException {
      Path file = chartDir.resolve("Chart.yaml");
      Map<?, ?> chart;
      try {
        Object loaded = new Yaml(new LoaderOptions()).load(Files.readString(file));
        chart = loaded instanceof Map<?, ?> map ? map : Map.of();
      } catch (IOException | RuntimeException e) {
        throw new ActionException(
            ActionCodes.INVALID_SPEC,
            action + ": cannot read the chart's " + file + ": " + e.getMessage(),
            "Check that chart.path names a Helm chart's folder (with its Chart.yaml).");
      }
      return new Metadata(
          text(chart.get("name"), chartDir.getFileName().toString()),
          text(chart.get("version"), "0.0.0"),
          text(chart.get("appVersion"), null),
          text(chart.get("description"), null));
    }

    static Metadata remote(String name, java.util.Optional<String> version) {
      return new Metadata(
          name.isBlank() ? "chart" : name,
          version.filter(v -> SEMVER.matcher(v).matches()).orElse("0.0.0"),
          null,
          null);
    }

    private static String text(Object value, String absent) {
      return value == null ? absent : String.valueOf(value);
    }
  }

  /**
   * Writes the chart into {@code dir} (an empty folder).
   *
   * @param crdFiles the original chart's CRD files, copied as they are (Helm's template prints no
   *     CRDs)
   */
  static void write(Path dir, Metadata metadata, List<ChartObject> objects, List<Path> crdFiles)
      throws ActionException {
    Map<String, Object> chart = new LinkedHashMap<>();
    chart.put("apiVersion", "v2");
    chart.put("name", metadata.name());
    chart.put("version", metadata.version());
    if (metadata.appVersion() != null) {
      chart.put("appVersion", metadata.appVersion());
    }
    if (metadata.description() != null) {
      chart.put("description", metadata.description());
    }
    chart.put("type", "application");
    Yaml yaml = yaml();
    try {
      Files.createDirectories(dir.resolve("templates"));
      Files.createDirectories(dir.resolve("files"));
      Files.writeString(dir.resolve("Chart.yaml"), yaml.dump(chart));
      for (int i = 0; i < crdFiles.size(); i++) {
        Files.createDirectories(dir.resolve("crds"));
        Files.copy(
            crdFiles.get(i),
            dir.resolve("crds").resolve("chart-" + i + "-" + crdFiles.get(i).getFileName()));
      }
      for (int i = 0; i < objects.size(); i++) {
        ChartObject object = objects.get(i);
        String text = yaml.dump(object.object());
        String name = i + ".yaml";
        if (object.crd()) {
          Files.createDirectories(dir.resolve("crds"));
          Files.writeString(dir.resolve("crds").resolve(name), text);
        } else {
          Files.writeString(dir.resolve("files").resolve(name), text);
          Files.writeString(
              dir.resolve("templates").resolve(name), "{{ .Files.Get \"files/" + name + "\" }}\n");
        }
      }
    } catch (IOException e) {
      throw new ActionException(
          ActionCodes.HELM_FAILED,
          "Cannot write the rendered chart to " + dir + ": " + e.getMessage(),
          "Check that the temporary folder is writable and has space.");
    }
  }

  /** Block style, keys in their order: the same objects give the same bytes. */
  static Yaml yaml() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setWidth(Integer.MAX_VALUE);
    options.setSplitLines(false);
    return new Yaml(options);
  }
}
