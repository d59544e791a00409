package dev.grove.orchestrator.config.modules;

import dev.grove.api.error.Problem;
import dev.grove.api.value.ValueTrees;
import dev.grove.orchestrator.config.ConfigCodes;
import dev.grove.orchestrator.config.ConfigDocument;
import dev.grove.orchestrator.config.Problems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One Module document, with what the conversion of every Module needs to know of it.
 *
 * @param buildDependencies the modules named in {@code build.dependencies}
 * @param copyFrom Garden's {@code copyFrom} entries made of their {@code copy} lists
 */
record Module(
    ConfigDocument doc,
    String name,
    String type,
    Map<String, Object> content,
    List<String> buildDependencies,
    List<Map<String, Object>> copyFrom) {

  /** The Module, or null (reported) when it has no usable name or a type Grove cannot convert. */
  static Module of(ConfigDocument doc, Consumer<Problem> errors, Consumer<Problem> warnings) {
    Map<String, Object> content = doc.content();
    if (!(content.get("name") instanceof String name) || name.isEmpty()) {
      errors.accept(
          Problems.at(
              doc,
              "name",
              ConfigCodes.INVALID_NAME,
              "The Module has no `name`.",
              "Add `name:` with lowercase letters, digits and dashes."));
      return null;
    }
    Object type = content.get("type");
    if (!(type instanceof String text) || !ModuleConversion.TYPES.contains(text)) {
      report(doc, name, type, errors, warnings);
      return null;
    }
    List<String> dependencies = new ArrayList<>();
    List<Map<String, Object>> copyFrom = new ArrayList<>();
    if (content.get("build") instanceof Map<?, ?> build
        && build.get("dependencies") instanceof List<?> deps) {
      for (Object dep : deps) {
        Object depName = dep instanceof Map<?, ?> map ? map.get("name") : dep;
        if (!(depName instanceof String target) || target.isEmpty()) {
          continue; // Garden leaves out empty names (a template that resolved to null)
        }
        dependencies.add(target);
        if (dep instanceof Map<?, ?> map && map.get("copy") instanceof List<?> copies) {
          for (Object copy : copies) {
            if (copy instanceof Map<?, ?> entry) {
              Map<String, Object> from = new LinkedHashMap<>();
              from.put("build", target);
              from.put("sourcePath", entry.get("source"));
              if (entry.get("target") != null) {
                from.put("targetPath", entry.get("target"));
              }
              copyFrom.add(from);
            }
          }
        }
      }
    }
    if (text.equals("helm")) {
      helmBuildDependencies(content, dependencies, copyFrom);
    }
    return new Module(
        doc, name, text, ValueTrees.map(content), List.copyOf(dependencies), copyFrom);
  }

  /**
   * What Garden's {@code configureHelmModule} adds to a helm Module's build dependencies: its
   * {@code base} (whose files it copies) and the {@code containerModule} of each task's and test's
   * {@code resource}.
   */
  private static void helmBuildDependencies(
      Map<String, Object> content, List<String> dependencies, List<Map<String, Object>> copyFrom) {
    if (content.get("base") instanceof String base && !base.isEmpty()) {
      dependencies.add(base);
      Map<String, Object> from = new LinkedHashMap<>();
      from.put("build", base);
      from.put("sourcePath", "*");
      from.put("targetPath", ".");
      copyFrom.add(from);
    }
    for (String key : List.of("tasks", "tests")) {
      for (Map<String, Object> entry : ModuleConversion.entries(content, key)) {
        if (entry.get("resource") instanceof Map<?, ?> resource
            && resource.get("containerModule") instanceof String image
            && !image.isEmpty()) {
          dependencies.add(image);
        }
      }
    }
  }

  private static void report(
      ConfigDocument doc,
      String name,
      Object type,
      Consumer<Problem> errors,
      Consumer<Problem> warnings) {
    if ("templated".equals(type)) {
      warnings.accept(
          Problems.at(
              doc,
              "type",
              ConfigCodes.GROVE_IGNORED_KIND,
              "Module "
                  + name
                  + " is `templated`: Grove does not render ModuleTemplates here;"
                  + " it is ignored.",
              "Write its actions out, or as a RenderTemplate."));
    } else if (type == null) {
      errors.accept(
          Problems.at(
              doc,
              "type",
              ConfigCodes.MISSING_TYPE,
              "Module " + name + " has no `type`.",
              "Add one of: " + String.join(", ", ModuleConversion.TYPES) + "."));
    } else {
      errors.accept(
          Problems.at(
              doc,
              "type",
              ConfigCodes.UNKNOWN_TYPE,
              "Grove does not know the Module type `" + type + "`.",
              "Module types Grove converts: "
                  + String.join(", ", ModuleConversion.TYPES)
                  + "."
                  + Problems.closest(String.valueOf(type), ModuleConversion.TYPES)
                      .map(m -> " Did you mean `" + m + "`?")
                      .orElse("")));
    }
  }

  /** The names its services have (a kubernetes Module is one service of its own name). */
  List<String> serviceNames() {
    if (type.equals("kubernetes")) {
      return List.of(name);
    }
    if (type.equals("helm")) {
      return Boolean.TRUE.equals(content.get("skipDeploy")) ? List.of() : List.of(name);
    }
    return ModuleConversion.entries(content, "services").stream()
        .map(service -> String.valueOf(service.get("name")))
        .toList();
  }

  List<Map<String, Object>> tasks() {
    return ModuleConversion.entries(content, "tasks");
  }

  /** True when Garden makes a Build action of it (named as the Module). */
  boolean makesBuild() {
    return switch (type) {
      case "exec" -> true; // Garden's schema defaults build.command to [], which counts
      case "helm" -> true; // Garden always makes one (for the chart's build folder)
      case "container" -> ModuleConversion.hasDockerfile(doc, content) || !copyFrom.isEmpty();
      default -> !copyFrom.isEmpty();
    };
  }

  /** True when its Build is a container build, not the exec Build that only copies files. */
  boolean buildsImage() {
    return type.equals("container") && ModuleConversion.hasDockerfile(doc, content);
  }

  Map<String, Object> build() {
    return content.get("build") instanceof Map<?, ?> map ? ValueTrees.map(map) : Map.of();
  }
}
