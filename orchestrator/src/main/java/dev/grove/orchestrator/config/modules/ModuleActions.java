package dev.grove.orchestrator.config.modules;

import dev.grove.api.error.Problem;
import dev.grove.api.value.ValueTrees;
import dev.grove.orchestrator.config.ConfigCodes;
import dev.grove.orchestrator.config.Problems;
import dev.grove.orchestrator.config.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The actions of one Module, as Garden 0.13's {@code convert} handlers make them
 * (plugins/container/container.js, plugins/exec/convert.js, kubernetes-type/handlers.js,
 * kubernetes/helm/handlers.js).
 */
final class ModuleActions {
  private static final Pattern MODULE_REFERENCE =
      Pattern.compile("\\$\\{[^}]*(?<![\\w.-])(modules|runtime)\\.");
  private static final Set<String> KUBERNETES_SPEC =
      Set.of(
          "manifests", "files", "kustomize", "namespace", "portForwards", "localMode", "timeout");

  private final Module module;
  private final UnaryOperator<String> templates;
  private final Set<String> services;
  private final Set<String> tasks;
  private final Map<String, Module> modules;
  private final Consumer<Problem> errors;
  private final List<ActionDocument> actions = new ArrayList<>();

  /**
   * @param services the names of every Module's services (a dependency on one is on its Deploy)
   * @param tasks the names of every Module's tasks (a dependency on one is on its Run)
   * @param modules every Module by name (a helm Module's {@code base})
   * @param errors takes each dependency that names no service or task
   */
  ModuleActions(
      Module module,
      UnaryOperator<String> templates,
      Set<String> services,
      Set<String> tasks,
      Map<String, Module> modules,
      Consumer<Problem> errors) {
    this.errors = errors;
    this.modules = modules;
    this.module = module;
    this.templates = templates;
    this.services = services;
    this.tasks = tasks;
  }

  List<ActionDocument> actions() {
    switch (module.type()) {
      case "container" -> container();
      case "exec" -> exec();
      case "helm" -> helm();
      default -> kubernetes();
    }
    return actions;
  }

  private void container() {
    String build = null;
    Map<String, Object> content = module.content();
    if (module.buildsImage()) {
      ActionDocument action = build("container");
      Map<String, Object> spec = new LinkedHashMap<>();
      put(spec, "buildArgs", content.get("buildArgs"));
      put(spec, "dockerfile", content.get("dockerfile"));
      put(spec, "extraFlags", content.get("extraFlags"));
      put(spec, "localId", content.get("image"));
      put(spec, "publishId", content.get("image"));
      put(spec, "targetStage", module.build().get("targetImage"));
      action.set("spec", spec, "");
      build = module.name();
    } else if (module.makesBuild()) {
      dummyBuild();
      build = module.name();
    }
    Object image = module.buildsImage() ? null : content.get("image");
    if (!module.buildsImage() && image == null) {
      errors.accept(
          Problems.at(
              module.doc(),
              "name",
              ConfigCodes.INVALID_FIELD,
              "Module "
                  + module.name()
                  + " neither specifies `image` nor has a Dockerfile in its folder (Garden's"
                  + " rule).",
              "Add a Dockerfile beside "
                  + module.doc().displayFile()
                  + ", name one with `dockerfile:`, or set `image:` to deploy an existing image."));
    }
    entries(
        "Deploy",
        "container",
        build,
        true,
        service -> {
          Map<String, Object> spec = without(service, "name", "dependencies", "disabled");
          put(spec, "image", image);
          return spec;
        });
    for (String kind : List.of("Run", "Test")) {
      entries(
          kind,
          "container",
          build,
          true,
          entry -> {
            Map<String, Object> spec = runSpec(entry);
            put(spec, "image", image);
            return spec;
          });
    }
  }

  private void exec() {
    Map<String, Object> content = module.content();
    ActionDocument build = build("exec");
    build.copy("buildAtSource", content, "local", "local");
    Map<String, Object> buildSpec = new LinkedHashMap<>();
    buildSpec.put("shell", true); // Garden keeps 0.12's shell behaviour
    put(buildSpec, "command", module.build().get("command"));
    put(buildSpec, "env", content.get("env"));
    build.set("spec", buildSpec, "build");
    entries(
        "Deploy",
        "exec",
        module.name(),
        false,
        service -> {
          Map<String, Object> spec = new LinkedHashMap<>();
          spec.put("shell", true);
          put(spec, "deployCommand", service.get("deployCommand"));
          put(spec, "statusCommand", service.get("statusCommand"));
          put(spec, "cleanupCommand", service.get("cleanupCommand"));
          put(spec, "env", env(service));
          return spec;
        });
    for (String kind : List.of("Run", "Test")) {
      entries(
          kind,
          "exec",
          module.name(),
          false,
          entry -> {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("shell", true);
            put(spec, "command", entry.get("command"));
            put(spec, "artifacts", entry.get("artifacts"));
            put(spec, "env", env(entry));
            return spec;
          });
    }
  }

  private void kubernetes() {
    Map<String, Object> content = module.content();
    String build = null;
    if (module.makesBuild()) {
      dummyBuild();
      build = module.name();
    }
    ActionDocument deploy = base("Deploy", "kubernetes", module.name(), "");
    if (build != null) {
      deploy.set("build", build, "build");
    }
    List<String> dependencies =
        runtimeDependencies(content.get("dependencies"), "dependencies", build);
    if (content.get("serviceResource") instanceof Map<?, ?> resource
        && resource.get("containerModule") instanceof String image
        && !dependencies.contains("build." + image)) {
      dependencies.add("build." + image);
    }
    deploy.set("dependencies", dependencies, "dependencies");
    // Garden counts the manifest files for the version unless the Module says what to include
    String include = content.get("include") != null ? "include" : "files";
    deploy.copy("include", content, include, include);
    deploy.copy("exclude", content, "exclude", "exclude");
    deploy.copy("timeout", content, "timeout", "timeout");
    List<Object> files = new ArrayList<>();
    List<Object> manifests = new ArrayList<>();
    if (content.get("manifests") instanceof List<?> inline) {
      manifests.addAll(inline);
    }
    if (content.get("files") instanceof List<?> written) {
      for (int i = 0; i < written.size(); i++) {
        List<Object> read = generated(content, written.get(i));
        if (read == null) {
          read = manifestsReferencingModules(written.get(i));
        }
        if (read == null) {
          files.add(written.get(i));
        } else {
          manifests.addAll(read);
        }
      }
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    for (String key : content.keySet()) {
      if (KUBERNETES_SPEC.contains(key)) {
        spec.put(key, content.get(key));
      }
    }
    if (content.get("files") != null) {
      spec.put("files", files);
    }
    if (!manifests.isEmpty()) {
      spec.put("manifests", manifests);
    }
    Map<String, Object> target = serviceResource(content.get("serviceResource"));
    put(spec, "defaultTarget", target);
    deploy.set("spec", spec, "");
    Map<String, Object> extra = new LinkedHashMap<>();
    put(extra, "files", spec.get("files"));
    put(extra, "manifests", spec.get("manifests"));
    put(extra, "namespace", content.get("namespace"));
    for (String kind : List.of("Run", "Test")) {
      entries(
          kind,
          "kubernetes-pod",
          build,
          true,
          entry -> {
            // Garden skips a task or test without a target resource
            Map<String, Object> resource =
                serviceResource(
                    entry.get("resource") != null
                        ? entry.get("resource")
                        : content.get("serviceResource"));
            if (resource == null) {
              return null;
            }
            Map<String, Object> podSpec = runSpec(entry);
            podSpec.put("resource", resource);
            podSpec.putAll(extra);
            return podSpec;
          });
    }
  }

  /**
   * Garden's helm conversion: an exec Build always (copying the {@code base} Module's chart, if
   * any), a {@code helm} Deploy unless {@code skipDeploy}, and {@code helm-pod} Runs and Tests for
   * the tasks and tests with a target resource.
   */
  private void helm() {
    Map<String, Object> content = module.content();
    if (module.copyFrom().isEmpty()) {
      ActionDocument build = base("Build", "exec", module.name(), "");
      build.copy("timeout", module.build(), "timeout", "build.timeout");
      build.copy("allowPublish", content, "allowPublish", "allowPublish");
      build.set("spec", Map.of("command", List.of()), "build");
    } else {
      dummyBuild();
    }
    String build = module.name();
    Module base = helmBase();
    Map<String, Object> resource = serviceResourceOf(content);
    if (base != null) {
      resource = merge(serviceResourceOf(base.content()), resource);
    }
    Object values = content.get("values");
    if (base != null && base.content().get("values") instanceof Map<?, ?> baseValues) {
      values = merge(ValueTrees.map(baseValues), values instanceof Map<?, ?> own ? own : Map.of());
    }
    Map<String, Object> chart = new LinkedHashMap<>();
    put(chart, "name", content.get("chart"));
    if (base != null) {
      // Garden copies the base's files into this Module's build folder (copyFrom); Grove, which
      // does not copy them, points at the base's chart where it is
      Path here = module.doc().file().getParent();
      Path chartDir = base.doc().file().getParent().resolve(chartPath(base.content())).normalize();
      String relative = here.relativize(chartDir).toString().replace('\\', '/');
      chart.put("path", relative.isEmpty() ? "." : relative);
    } else if (content.get("chart") == null) {
      chart.put("path", chartPath(content));
    }
    put(chart, "repo", content.get("repo"));
    put(chart, "version", content.get("version"));
    Object releaseName =
        content.get("releaseName") != null ? content.get("releaseName") : module.name();
    List<String> include = helmInclude();
    if (!Boolean.TRUE.equals(content.get("skipDeploy"))) {
      ActionDocument deploy = base("Deploy", "helm", module.name(), "");
      deploy.set("build", build, "build");
      List<String> dependencies =
          runtimeDependencies(content.get("dependencies"), "dependencies", build);
      if (resource != null
          && resource.get("containerModule") instanceof String image
          && !dependencies.contains("build." + image)) {
        dependencies.add("build." + image);
      }
      deploy.set("dependencies", dependencies, "dependencies");
      deploy.copy("timeout", content, "timeout", "timeout");
      deploy.set("include", include, "chartPath");
      deploy.copy("exclude", content, "exclude", "exclude");
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put(
          "atomic",
          content.get("atomicInstall") != null ? content.get("atomicInstall") : Boolean.TRUE);
      put(spec, "portForwards", content.get("portForwards"));
      put(spec, "namespace", content.get("namespace"));
      spec.put("releaseName", releaseName);
      put(spec, "values", values);
      put(spec, "valueFiles", content.get("valueFiles"));
      spec.put("chart", chart);
      put(spec, "sync", content.get("sync") != null ? content.get("sync") : content.get("devMode"));
      put(spec, "defaultTarget", serviceResource(resource));
      deploy.set("spec", spec, "");
    }
    Map<String, Object> moduleResource = resource;
    for (String kind : List.of("Run", "Test")) {
      entries(
          kind,
          "helm-pod",
          build,
          true,
          entry -> {
            // Garden skips a task or test without a target resource
            Map<String, Object> target =
                serviceResource(
                    entry.get("resource") != null ? entry.get("resource") : moduleResource);
            if (target == null) {
              return null;
            }
            Map<String, Object> podSpec = runSpec(entry);
            podSpec.put("resource", target);
            put(podSpec, "namespace", content.get("namespace"));
            podSpec.put("releaseName", releaseName);
            put(podSpec, "values", content.get("values"));
            put(podSpec, "valueFiles", content.get("valueFiles"));
            podSpec.put("chart", chart);
            return podSpec;
          },
          // as Garden: the target's containerModule, the entry's own or the Module's
          entry -> {
            Object target = entry.get("resource") != null ? entry.get("resource") : moduleResource;
            return target instanceof Map<?, ?> r && r.get("containerModule") instanceof String image
                ? image
                : null;
          });
    }
  }

  /** The helm Module's {@code base}, or null (an error when it is not a helm Module). */
  private Module helmBase() {
    if (!(module.content().get("base") instanceof String name) || name.isEmpty()) {
      return null;
    }
    Module base = modules.get(name);
    if (base == null) {
      return null; // reported as a missing build dependency
    }
    if (!base.type().equals("helm")) {
      errors.accept(
          Problems.at(
              module.doc(),
              "base",
              ConfigCodes.INVALID_FIELD,
              "Helm module "
                  + module.name()
                  + " has the base "
                  + name
                  + ", which is a `"
                  + base.type()
                  + "` Module; a base is a helm Module (Garden's rule).",
              "Name a helm Module with the chart to reuse, or remove `base`."));
      return null;
    }
    Path chart = module.doc().file().getParent().resolve(chartPath(module.content()));
    if (Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      errors.accept(
          Problems.at(
              module.doc(),
              "base",
              ConfigCodes.INVALID_FIELD,
              "Helm module "
                  + module.name()
                  + " both contains a chart and names the base "
                  + name
                  + "; Helm charts cannot be merged (Garden's rule).",
              "Remove the chart's files from this Module's folder, or remove `base`."));
    }
    return base;
  }

  private static String chartPath(Map<String, Object> content) {
    return content.get("chartPath") instanceof String path ? path : ".";
  }

  /**
   * Garden's default {@code include} of a helm Module: the chart's files and the value files under
   * its chart path (Garden joins even the value files to it), unless it says what to include.
   */
  private List<String> helmInclude() {
    Map<String, Object> content = module.content();
    if (content.get("include") != null || content.get("exclude") != null) {
      return content.get("include") != null ? strings(content.get("include")) : null;
    }
    String chartPath = chartPath(content);
    boolean sources =
        Files.isRegularFile(
            module.doc().file().getParent().resolve(chartPath).resolve("Chart.yaml"));
    List<String> globs =
        new ArrayList<>(
            sources ? List.of("*", "charts/**/*", "templates/**/*") : List.of("*.yaml", "*.yml"));
    globs.addAll(strings(content.get("valueFiles")));
    List<String> include = new ArrayList<>();
    for (String glob : globs) {
      include.add(chartPath.equals(".") ? glob : Path.of(chartPath, glob).toString());
    }
    return include;
  }

  private static List<String> strings(Object value) {
    List<String> strings = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(item -> strings.add(String.valueOf(item)));
    }
    return strings;
  }

  private static Map<String, Object> serviceResourceOf(Map<String, Object> content) {
    return content.get("serviceResource") instanceof Map<?, ?> resource
        ? ValueTrees.map(resource)
        : null;
  }

  /** JSON Merge Patch (RFC 7396) of {@code patch} onto {@code target}, as Garden's jsonMerge. */
  private static Map<String, Object> merge(Map<?, ?> target, Map<?, ?> patch) {
    if (target == null) {
      return patch == null ? null : ValueTrees.map(patch);
    }
    Map<String, Object> merged = new LinkedHashMap<>(ValueTrees.map(target));
    if (patch == null) {
      return merged;
    }
    patch.forEach(
        (k, v) -> {
          String key = String.valueOf(k);
          if (v == null) {
            merged.remove(key);
          } else if (v instanceof Map<?, ?> child && merged.get(key) instanceof Map<?, ?> old) {
            merged.put(key, merge(old, child));
          } else {
            merged.put(key, v);
          }
        });
    return merged;
  }

  /**
   * The manifests of a file the Module generates ({@code generateFiles} with a {@code value}, as a
   * ModuleTemplate renders them); null when {@code file} is not one. Garden writes such a file into
   * the Module's folder before reading it; Grove reads the value and leaves the folder alone.
   */
  private List<Object> generated(Map<String, Object> content, Object file) {
    if (!(file instanceof String name) || !(content.get("generateFiles") instanceof List<?> all)) {
      return null;
    }
    Path wanted = Path.of(name).normalize();
    for (Object entry : all) {
      if (entry instanceof Map<?, ?> generate
          && generate.get("targetPath") instanceof String target
          && generate.get("value") instanceof String value
          && Path.of(target).normalize().equals(wanted)) {
        YamlLoader.Result result =
            YamlLoader.parse(
                value,
                module.doc().file().getParent().resolve(name).normalize(),
                displayPath(name));
        return manifests(result);
      }
    }
    return null;
  }

  /**
   * The manifests of a Module's manifest file when its templates reference {@code modules.*} or
   * {@code runtime.*} (read now, so their references are rewritten as the Module's own); null for a
   * file left to the Deploy to read. Garden resolves these references in files at deploy time; an
   * action's context has no {@code modules}, so the file's manifests move into the spec.
   */
  private List<Object> manifestsReferencingModules(Object file) {
    if (!(file instanceof String name) || name.contains("${")) {
      return null;
    }
    Path location = module.doc().file().getParent().resolve(name).normalize();
    String text;
    try {
      text = Files.readString(location);
    } catch (IOException | RuntimeException e) {
      return null; // the Deploy reports a file it cannot read
    }
    if (!MODULE_REFERENCE.matcher(text).find()) {
      return null;
    }
    YamlLoader.Result result = YamlLoader.load(location, displayPath(name));
    return manifests(result);
  }

  /** A file of the Module's folder as errors name it (relative to the project root). */
  private String displayPath(String name) {
    String display = module.doc().displayFile();
    return (display.contains("/") ? display.substring(0, display.lastIndexOf('/') + 1) : "") + name;
  }

  /** The documents of a manifest file; none, with its problems reported, when it does not parse. */
  private List<Object> manifests(YamlLoader.Result result) {
    if (!result.problems().isEmpty()) {
      result.problems().forEach(errors);
      return List.of();
    }
    List<Object> manifests = new ArrayList<>();
    result.documents().forEach(doc -> manifests.add(doc.content()));
    return manifests;
  }

  /**
   * An action per service (a Deploy), task (a Run) or test (a Test named MODULE-TEST), each with
   * the spec {@code spec} makes of it (none: no action).
   *
   * @param withBuildDependencies whether it depends on the Module's build dependencies itself
   */
  private void entries(
      String kind,
      String type,
      String build,
      boolean withBuildDependencies,
      Function<Map<String, Object>, Map<String, Object>> spec) {
    entries(kind, type, build, withBuildDependencies, spec, entry -> null);
  }

  /**
   * As the other, each action also depending on the Build {@code image} names for its entry (none
   * when null).
   */
  private void entries(
      String kind,
      String type,
      String build,
      boolean withBuildDependencies,
      Function<Map<String, Object>, Map<String, Object>> spec,
      Function<Map<String, Object>, String> image) {
    String key = kind.equals("Deploy") ? "services" : kind.equals("Run") ? "tasks" : "tests";
    List<Map<String, Object>> entries = ModuleConversion.entries(module.content(), key);
    for (int i = 0; i < entries.size(); i++) {
      Map<String, Object> entry = entries.get(i);
      String from = key + "[" + i + "]";
      Map<String, Object> entrySpec = spec.apply(entry);
      if (entrySpec == null) {
        continue;
      }
      Object name =
          kind.equals("Test") ? module.name() + "-" + entry.get("name") : entry.get("name");
      ActionDocument action = base(kind, type, name, from);
      if (build != null) {
        action.set("build", build, "build");
      }
      List<String> dependencies =
          withBuildDependencies
              ? runtimeDependencies(entry.get("dependencies"), from + ".dependencies", build)
              : convertDependencies(entry.get("dependencies"), from + ".dependencies");
      String imageBuild = image.apply(entry);
      if (imageBuild != null && !dependencies.contains("build." + imageBuild)) {
        dependencies.add("build." + imageBuild);
      }
      action.set("dependencies", dependencies, from + ".dependencies");
      if (!Boolean.TRUE.equals(module.content().get("disabled"))) {
        action.copy("disabled", entry, "disabled", from + ".disabled");
      }
      if (kind.equals("Run")) {
        action.copy("description", entry, "description", from + ".description");
      }
      action.copy("timeout", entry, "timeout", from + ".timeout");
      action.set("spec", entrySpec, from);
    }
  }

  /** A task's or test's fields but those the action has outside its spec. */
  private static Map<String, Object> runSpec(Map<String, Object> entry) {
    return without(entry, "name", "description", "dependencies", "disabled", "timeout");
  }

  /**
   * A Build named as the Module, with its build dependencies (and the files they copy), timeout,
   * include and exclude.
   */
  private ActionDocument build(String type) {
    ActionDocument action = base("Build", type, module.name(), "");
    action.set(
        "dependencies",
        module.buildDependencies().stream().map(dep -> "build." + dep).toList(),
        "build.dependencies");
    action.copy("timeout", module.build(), "timeout", "build.timeout");
    action.copy("allowPublish", module.content(), "allowPublish", "allowPublish");
    action.copy("include", module.content(), "include", "include");
    action.copy("exclude", module.content(), "exclude", "exclude");
    if (!module.copyFrom().isEmpty()) {
      action.set("copyFrom", module.copyFrom(), "build.dependencies");
    }
    return action;
  }

  /** Garden's exec Build that only copies files from the Module's build dependencies. */
  private void dummyBuild() {
    ActionDocument action = build("exec");
    action.set("spec", Map.of("command", List.of()), "build");
  }

  /** The fields every action of the Module has: name, its variables and disabled. */
  private ActionDocument base(String kind, String type, Object name, String from) {
    ActionDocument action = new ActionDocument(module.doc(), kind, type, templates, from);
    actions.add(action);
    action.set("name", name, from.isEmpty() ? "name" : from + ".name");
    Map<String, Object> content = module.content();
    action.copy("variables", content, "variables", "variables");
    if (content.get("varfile") != null) {
      action.set("varfiles", List.of(content.get("varfile")), "varfile");
    }
    action.copy("disabled", content, "disabled", "disabled");
    action.copy("source", content, "source", "source");
    if (content.get("repositoryUrl") != null) {
      action.set(
          "source", Map.of("repository", Map.of("url", content.get("repositoryUrl"))), "source");
    }
    return action;
  }

  /**
   * Garden's {@code prepareRuntimeDependencies}: the Module's build dependencies, the services and
   * tasks named, and the Module's own Build.
   */
  private List<String> runtimeDependencies(Object names, String path, String build) {
    List<String> dependencies = new ArrayList<>();
    module.buildDependencies().forEach(dep -> dependencies.add("build." + dep));
    dependencies.addAll(convertDependencies(names, path));
    if (build != null && !module.buildDependencies().contains(build)) {
      dependencies.add("build." + build);
    }
    return dependencies;
  }

  /**
   * A service's Deploy or a task's Run for each name. Another name is an error, as in Garden (its
   * module graph knows only Modules' services and tasks, not actions).
   */
  private List<String> convertDependencies(Object names, String path) {
    List<String> dependencies = new ArrayList<>();
    if (names instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        String name = String.valueOf(list.get(i));
        if (services.contains(name)) {
          dependencies.add("deploy." + name);
        } else if (tasks.contains(name)) {
          dependencies.add("run." + name);
        } else {
          List<String> known = new ArrayList<>(services);
          known.addAll(tasks);
          errors.accept(
              Problems.at(
                  module.doc(),
                  path + "[" + i + "]",
                  ConfigCodes.MISSING_DEPENDENCY,
                  "Module "
                      + module.name()
                      + " depends on `"
                      + name
                      + "`, which is no service or task of a Module.",
                  Problems.closest(name, known)
                      .map(match -> "Did you mean `" + match + "`?")
                      .orElse(
                          "A Module's dependencies name other Modules' services and tasks (as in"
                              + " Garden); to depend on an action, make this Module an action"
                              + " too.")));
        }
      }
    }
    return dependencies;
  }

  /** The environment of a service, task or test: the exec Module's {@code env} under its own. */
  private Object env(Map<String, Object> entry) {
    Map<String, Object> env = new LinkedHashMap<>();
    if (module.content().get("env") instanceof Map<?, ?> moduleEnv) {
      env.putAll(ValueTrees.map(moduleEnv));
    }
    if (entry.get("env") instanceof Map<?, ?> own) {
      env.putAll(ValueTrees.map(own));
    }
    return env.isEmpty() ? null : env;
  }

  /** Garden's {@code convertServiceResourceSpec}: a pod selector, or a kind and name. */
  private Map<String, Object> serviceResource(Object value) {
    if (!(value instanceof Map<?, ?> resource)) {
      return null;
    }
    Map<String, Object> target = new LinkedHashMap<>();
    if (resource.get("podSelector") instanceof Map<?, ?> selector && !selector.isEmpty()) {
      target.put("podSelector", selector);
    } else {
      target.put("kind", resource.get("kind") != null ? resource.get("kind") : "Deployment");
      target.put("name", resource.get("name") != null ? resource.get("name") : module.name());
    }
    put(target, "containerName", resource.get("containerName"));
    return target;
  }

  private static Map<String, Object> without(Map<String, Object> entry, String... keys) {
    Map<String, Object> copy = new LinkedHashMap<>(entry);
    for (String key : keys) {
      copy.remove(key);
    }
    return copy;
  }

  private static void put(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
