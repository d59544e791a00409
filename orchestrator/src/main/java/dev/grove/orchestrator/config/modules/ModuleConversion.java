package dev.grove.orchestrator.config.modules;

import dev.grove.actions.provider.ImageRegistry;
import dev.grove.actions.spi.ActionType;
import dev.grove.actions.spi.ActionTypeRegistry;
import dev.grove.api.action.ActionKind;
import dev.grove.api.error.Problem;
import dev.grove.api.value.ValueTrees;
import dev.grove.orchestrator.config.ConfigCodes;
import dev.grove.orchestrator.config.ConfigDocument;
import dev.grove.orchestrator.config.Problems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Replaces each {@code kind: Module} document (Garden 0.12's configs) by the action documents
 * Garden 0.13 converts it to, with Garden's names and dependencies: a {@code container} Module
 * becomes a Build (when it has a Dockerfile), a Deploy per service, a Run per task and a Test per
 * test named {@code MODULE-TEST}; an {@code exec} Module the same with an exec Build always; a
 * {@code kubernetes} Module a Deploy and {@code kubernetes-pod} Runs and Tests; a {@code helm}
 * Module an exec Build (always), a {@code helm} Deploy and {@code helm-pod} Runs and Tests. The
 * action documents keep the Module's file and lines, so the usual action parsing reports problems
 * where the user wrote them.
 */
public final class ModuleConversion {
  static final List<String> TYPES = List.of("container", "exec", "kubernetes", "helm");

  private final ActionTypeRegistry types;
  private final Optional<ImageRegistry> registry;

  /**
   * @param types the action types (for the image names a container Build will have)
   * @param registry the project's deployment registry, if any
   */
  public ModuleConversion(ActionTypeRegistry types, Optional<ImageRegistry> registry) {
    this.types = types;
    this.registry = registry;
  }

  /**
   * The documents with each Module replaced by its actions (in its place).
   *
   * @param errors takes each problem that makes a Module unusable
   * @param warnings takes each Module feature Grove leaves out
   */
  public List<ConfigDocument> convert(
      List<ConfigDocument> documents, Consumer<Problem> errors, Consumer<Problem> warnings) {
    // By identity: documents are compared by content otherwise, which costs and may collide.
    Map<ConfigDocument, Module> modules = new IdentityHashMap<>();
    Map<String, Module> byName = new HashMap<>();
    for (ConfigDocument doc : documents) {
      if (isModule(doc)) {
        Module module = Module.of(doc, errors, warnings);
        if (module == null) {
          continue;
        }
        Module previous = byName.putIfAbsent(module.name(), module);
        if (previous != null) {
          errors.accept(
              Problems.at(
                  doc,
                  "name",
                  ConfigCodes.DUPLICATE_ACTION,
                  "Module "
                      + module.name()
                      + " is defined twice: here and in "
                      + previous.doc().displayFile()
                      + ".",
                  "Rename one of them; module names are unique."));
          continue;
        }
        modules.put(doc, module);
      }
    }
    if (modules.isEmpty()) {
      return documents.stream().filter(doc -> !isModule(doc)).toList();
    }
    Set<String> services = new HashSet<>();
    Set<String> tasks = new HashSet<>();
    Map<String, Map<String, String>> outputs = new HashMap<>();
    Set<String> builds = new HashSet<>();
    for (Module module : modules.values()) {
      services.addAll(module.serviceNames());
      module.tasks().forEach(task -> tasks.add(String.valueOf(task.get("name"))));
      if (module.makesBuild()) {
        builds.add(module.name());
      }
      outputs.put(module.name(), imageOutputs(module));
    }
    ModuleReferences references = new ModuleReferences(outputs, builds);
    List<ConfigDocument> result = new ArrayList<>();
    for (ConfigDocument doc : documents) {
      Module module = modules.get(doc);
      if (module == null) {
        if (!isModule(doc)) {
          result.add(doc);
        }
        continue;
      }
      for (int i = 0; i < module.buildDependencies().size(); i++) {
        String dep = module.buildDependencies().get(i);
        if (!byName.containsKey(dep)) {
          errors.accept(
              Problems.at(
                  doc,
                  "build.dependencies[" + i + "]",
                  ConfigCodes.MISSING_DEPENDENCY,
                  "Module "
                      + module.name()
                      + " has the build dependency "
                      + dep
                      + ", which is no"
                      + " module of the project.",
                  Problems.closest(dep, List.copyOf(byName.keySet()))
                      .map(match -> "Did you mean `" + match + "`?")
                      .orElse("Name a module defined in the project.")));
        }
      }
      new ModuleActions(module, references::rewrite, services, tasks, byName, errors)
          .actions()
          .forEach(action -> result.add(action.build()));
    }
    return result;
  }

  private static boolean isModule(ConfigDocument doc) {
    return "Module".equals(doc.content().get("kind"));
  }

  /** What {@code ${modules.NAME.outputs.*}} gives before anything is built: the image names. */
  private Map<String, String> imageOutputs(Module module) {
    Map<String, String> outputs = new HashMap<>();
    if (!module.type().equals("container")) {
      return outputs;
    }
    Object image = module.content().get("image");
    if (!module.makesBuild()) {
      if (image instanceof String id && !id.contains("${")) {
        String name = imageName(id);
        outputs.put("local-image-name", name);
        outputs.put("deployment-image-name", name);
        outputs.put("local-image-id", id);
        outputs.put("deployment-image-id", id);
      }
      return outputs;
    }
    Optional<ActionType> build = types.find(ActionKind.BUILD, "container");
    if (build.isPresent() && (image == null || image instanceof String id && !id.contains("${"))) {
      Map<String, Object> spec = new HashMap<>();
      if (image != null) {
        spec.put("localId", image);
      }
      Map<String, Object> staticOutputs =
          build
              .get()
              .staticOutputs(new ActionType.OutputContext(module.name(), spec, "", registry));
      for (String key : List.of("local-image-name", "deployment-image-name")) {
        if (staticOutputs.get(key) instanceof String value) {
          outputs.put(key, value);
        }
      }
    }
    return outputs;
  }

  /** An image reference without its tag or digest. */
  static String imageName(String image) {
    String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  /** The Module's {@code services}, {@code tasks}, ... as maps. */
  static List<Map<String, Object>> entries(Map<String, Object> content, String key) {
    List<Map<String, Object>> entries = new ArrayList<>();
    if (content.get(key) instanceof List<?> list) {
      for (Object item : list) {
        entries.add(item instanceof Map<?, ?> map ? ValueTrees.map(map) : Map.of());
      }
    }
    return entries;
  }

  static boolean hasDockerfile(ConfigDocument doc, Map<String, Object> content) {
    if (content.get("dockerfile") != null) {
      return true; // Garden: a Dockerfile named explicitly means build it
    }
    Path dir = doc.file().getParent();
    return Files.isRegularFile(dir.resolve("Dockerfile"));
  }
}
