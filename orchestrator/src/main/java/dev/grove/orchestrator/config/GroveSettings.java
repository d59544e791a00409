package dev.grove.orchestrator.config;

import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.provider.Provider;
import dev.grove.actions.spi.Schema;
import dev.grove.api.value.ValueTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Grove's own settings of a project, in {@code grove.yml} beside {@code project.garden.yml}: what
 * Garden has no field for and would reject in its own files ({@code buildMode: jib}, {@code
 * concurrency}), so that a project stays loadable by Garden unchanged. Plain values, no templates.
 *
 * @param buildMode the kubernetes provider's build mode in every environment, over the provider's
 * @param concurrency how many actions run at once, per kind and {@code overall}
 */
record GroveSettings(Optional<String> buildMode, Map<String, Integer> concurrency) {
  static final String FILE = "grove.yml";

  private static final Schema.Obj SCHEMA =
      Schema.obj()
          .any("buildMode")
          .field(
              "concurrency", Schema.obj().any("build", "deploy", "run", "test", "overall").build())
          .build();

  GroveSettings {
    concurrency = Map.copyOf(concurrency);
  }

  static final GroveSettings NONE = new GroveSettings(Optional.empty(), Map.of());

  /** The settings of the project at {@code root}; none when it has no {@code grove.yml}. */
  static GroveSettings read(Path root, Diagnostics diagnostics) {
    Path file = root.resolve(FILE);
    if (!Files.exists(file)) {
      return NONE;
    }
    YamlLoader.Result result = YamlLoader.load(file, FILE);
    diagnostics.errors(result.problems());
    if (result.documents().isEmpty()) {
      return NONE;
    }
    ConfigDocument doc = result.documents().get(0);
    Map<String, Object> content = doc.content();
    new SchemaChecker(doc, diagnostics)
        .check(content, SCHEMA, "", "Grove's settings (" + FILE + ")");
    Optional<String> buildMode = Optional.empty();
    Object mode = content.get("buildMode");
    if (mode != null) {
      if (ProjectResolver.BUILD_MODES.contains(String.valueOf(mode))) {
        buildMode = Optional.of(String.valueOf(mode));
      } else {
        diagnostics.error(
            doc,
            "buildMode",
            ConfigCodes.INVALID_FIELD,
            "Unknown `buildMode` `" + mode + "`.",
            Problems.didYouMean(String.valueOf(mode), ProjectResolver.BUILD_MODES, "build modes"));
      }
    }
    return new GroveSettings(
        buildMode, ProjectResolver.concurrency(doc, content.get("concurrency"), diagnostics));
  }

  /** The project file's (deprecated) limits with these settings' on top. */
  Map<String, Integer> concurrencyOver(Map<String, Integer> fromProject) {
    Map<String, Integer> merged = new TreeMap<>(fromProject);
    merged.putAll(concurrency);
    return merged;
  }

  /** The providers with this {@code buildMode} on the kubernetes one. */
  List<Provider> applyTo(List<Provider> providers, String projectName) {
    if (buildMode.isEmpty()) {
      return providers;
    }
    List<Provider> out = new ArrayList<>();
    for (Provider provider : providers) {
      if (provider instanceof KubernetesProvider) {
        Map<String, Object> config = new LinkedHashMap<>(ValueTrees.map(provider.config()));
        config.put("buildMode", buildMode.get());
        out.add(Provider.of(provider.name(), config, projectName));
      } else {
        out.add(provider);
      }
    }
    return out;
  }

  /** Warns about Grove-only settings in the project file, saying where they go now. */
  static void warnDeprecated(
      ConfigDocument doc, String path, String field, String value, Diagnostics diagnostics) {
    diagnostics.warning(
        doc,
        path,
        ConfigCodes.GROVE_SETTING_MOVED,
        "`"
            + field
            + "` in the project file is a Grove setting that Garden rejects there; Grove still"
            + " reads it, but will stop.",
        "Move it to "
            + FILE
            + " beside project.garden.yml (`"
            + value
            + "`), so Garden loads the project too.");
  }
}
