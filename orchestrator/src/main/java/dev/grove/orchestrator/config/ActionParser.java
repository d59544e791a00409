package dev.grove.orchestrator.config;

import dev.grove.actions.spi.ActionType;
import dev.grove.actions.spi.ActionTypeRegistry;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.api.value.ValueTrees;
import dev.grove.orchestrator.template.TemplateValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns action documents into {@link ActionConfig}s: checks fields, resolves built-in fields. */
final class ActionParser {
  private final Templating templating;
  private final ProjectConfig project;
  private final LoadOptions options;
  private final Map<String, Object> baseContext;
  private final ActionTypeRegistry types;

  ActionParser(
      Templating templating,
      ProjectConfig project,
      LoadOptions options,
      Map<String, Object> baseContext,
      ActionTypeRegistry types) {
    this.types = types;
    this.templating = templating;
    this.project = project;
    this.options = options;
    this.baseContext = baseContext;
  }

  private RemoteSources remoteSources;

  /** Where {@code source.repository.url} is cloned; without it that field is not acted on. */
  ActionParser remoteSources(RemoteSources remoteSources) {
    this.remoteSources = remoteSources;
    return this;
  }

  /** The action, or null when its problems make it unusable (they are added to diagnostics). */
  ActionConfig parse(ConfigDocument doc, ActionKind kind, Diagnostics diagnostics) {
    Map<String, Object> raw = doc.content();
    int before = diagnostics.mark();
    new SchemaChecker(doc, diagnostics)
        .check(raw, ConfigSchemas.forKind(kind), "", "a " + kind.displayName() + " action");
    ActionType handler = handler(doc, kind, diagnostics);

    // Variables: the action's own on top of the project's, --var on top of all.
    Map<String, Object> context = TemplateContexts.withVariables(baseContext, project.variables());
    context.put("actions", new TemplateValues.Unavailable(TemplateContexts.ACTIONS_IN_BUILTIN));
    context.put("inputs", new LinkedHashMap<String, Object>());
    String name = name(doc, kind, context, diagnostics);
    if (name == null) {
      return null;
    }
    Map<String, Object> thisValues = new LinkedHashMap<>();
    thisValues.put("name", name);
    thisValues.put("mode", "default");
    context.put("this", thisValues);
    Path configDir = doc.file().getParent();
    Map<String, Object> vars = variables(doc, configDir, context, diagnostics);
    context = TemplateContexts.withVariables(context, vars);

    String description = stringAt(doc, "description", raw.get("description"), context, diagnostics);
    boolean disabled =
        Boolean.TRUE.equals(
            templating.resolveOrNull(
                doc, "disabled", raw.get("disabled"), context, diagnostics, false));
    if (!inEnvironment(doc, name, context, diagnostics)) {
      disabled = true;
    }
    List<ActionConfig.Dependency> dependencies = dependencies(doc, context, diagnostics);
    String build = kind == ActionKind.BUILD ? null : build(doc, context, diagnostics);
    if (build != null) {
      dependencies.add(new ActionConfig.Dependency(ActionRef.of(ActionKind.BUILD, build), "build"));
    }
    String sourceDir = sourceDir(doc, ActionRef.of(kind, name), configDir, context, diagnostics);
    List<String> include = stringList(doc, "include", raw.get("include"), context, diagnostics);
    List<String> exclude = stringList(doc, "exclude", raw.get("exclude"), context, diagnostics);
    Object timeout = timeout(doc, context, diagnostics);
    ActionConfig.VersionSettings versionSettings = versionSettings(doc, raw, context, diagnostics);
    Map<String, Object> spec = spec(doc, kind, handler, diagnostics);
    // Unknown fields are reported but do not stop the action from being graphed.
    if (handler == null || diagnostics.errorsSinceOtherThan(before, ConfigCodes.UNKNOWN_FIELD)) {
      return null;
    }
    return new ActionConfig(
        ActionRef.of(kind, name),
        handler.type(),
        handler,
        doc,
        sourceDir,
        description,
        disabled,
        dependencies,
        build,
        include,
        exclude == null ? List.of() : exclude,
        vars,
        timeout,
        spec,
        versionSettings);
  }

  /** The handler of the action's {@code type}, or null (reported) when it has none. */
  private ActionType handler(ConfigDocument doc, ActionKind kind, Diagnostics diagnostics) {
    if (!(doc.content().get("type") instanceof String type)) {
      diagnostics.error(
          doc,
          "type",
          ConfigCodes.MISSING_TYPE,
          "The " + kind.displayName() + " action has no `type`.",
          "Add one of: " + String.join(", ", types.typesOf(kind)) + ".");
      return null;
    }
    ActionType handler = types.find(kind, type).orElse(null);
    if (handler == null) {
      diagnostics.error(
          doc,
          "type",
          ConfigCodes.UNKNOWN_TYPE,
          "Grove does not know the " + kind.displayName() + " type `" + type + "`.",
          "Known "
              + kind.displayName()
              + " types: "
              + String.join(", ", types.typesOf(kind))
              + "."
              + Problems.closest(type, types.typesOf(kind))
                  .map(m -> " Did you mean `" + m + "`?")
                  .orElse(""));
    }
    return handler;
  }

  /** The action's name, or null (reported) when it has none or an invalid one. */
  private String name(
      ConfigDocument doc, ActionKind kind, Map<String, Object> context, Diagnostics diagnostics) {
    int mark = diagnostics.mark();
    Object nameValue =
        templating.resolveOrNull(
            doc, "name", doc.content().get("name"), context, diagnostics, null);
    if (diagnostics.errorsSince(mark)) {
      return null; // the template error says it all
    }
    if (nameValue instanceof String name && ProjectResolver.NAME.matcher(name).matches()) {
      return name;
    }
    diagnostics.error(
        doc,
        "name",
        ConfigCodes.INVALID_NAME,
        nameValue == null
            ? "The " + kind.displayName() + " action has no `name`."
            : "`" + nameValue + "` is not a valid action name.",
        "Use lowercase letters, digits and dashes (at most 63, not starting or ending with"
            + " a dash).");
    return null;
  }

  /** The project's variables, the action's own on top, its varfiles next, --var on top of all. */
  private Map<String, Object> variables(
      ConfigDocument doc, Path configDir, Map<String, Object> context, Diagnostics diagnostics) {
    Map<String, Object> raw = doc.content();
    Map<String, Object> vars = new LinkedHashMap<>(project.variables());
    // As in Garden, variables may reference other actions (`tag: ${actions.build.api.version}`):
    // such values stay templates here and resolve with the spec, after those actions.
    Map<String, Object> varsContext = new LinkedHashMap<>(context);
    varsContext.put("actions", TemplateValues.DEFERRED);
    Object actionVars =
        templating.resolveOrNull(
            doc, "variables", raw.get("variables"), varsContext, diagnostics, null);
    if (actionVars instanceof Map<?, ?> map) {
      vars = ValueTrees.mergePatch(vars, ValueTrees.map(map));
    }
    Object varfiles =
        templating.resolveOrNull(doc, "varfiles", raw.get("varfiles"), context, diagnostics, null);
    if (varfiles instanceof List<?> files) {
      for (int i = 0; i < files.size(); i++) {
        Object file = files.get(i) instanceof Map<?, ?> m ? m.get("path") : files.get(i);
        boolean optional =
            files.get(i) instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("optional"));
        vars =
            ValueTrees.mergePatch(
                vars,
                ProjectResolver.readVarfile(
                    configDir, doc, "varfiles[" + i + "]", file, !optional, diagnostics));
      }
    }
    return ValueTrees.mergePatch(vars, options.varTree());
  }

  /**
   * False when the action's {@code environments} leave out the project's environment; warns of the
   * names there that are no environment of the project.
   */
  private boolean inEnvironment(
      ConfigDocument doc, String name, Map<String, Object> context, Diagnostics diagnostics) {
    Object environments =
        templating.resolveOrNull(
            doc, "environments", doc.content().get("environments"), context, diagnostics, null);
    if (!(environments instanceof List<?> envs)) {
      return true;
    }
    List<String> defined = definedEnvironments();
    for (int i = 0; i < envs.size(); i++) {
      String env = String.valueOf(envs.get(i));
      if (!defined.contains(env)) {
        diagnostics.warning(
            doc,
            "environments[" + i + "]",
            ConfigCodes.UNKNOWN_ENVIRONMENT,
            "`" + env + "` is not an environment of the project, so it never enables " + name + ".",
            Problems.didYouMean(env, defined, "environments"));
      }
    }
    return envs.contains(project.environment());
  }

  /** The explicit {@code dependencies}, each with where it is written. */
  private List<ActionConfig.Dependency> dependencies(
      ConfigDocument doc, Map<String, Object> context, Diagnostics diagnostics) {
    List<ActionConfig.Dependency> dependencies = new ArrayList<>();
    Object deps =
        templating.resolveOrNull(
            doc, "dependencies", doc.content().get("dependencies"), context, diagnostics, null);
    if (deps instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        Object dep = list.get(i);
        String path = "dependencies[" + i + "]";
        if (dep == null) {
          continue;
        }
        ActionRef ref = dependencyRef(dep);
        if (ref == null) {
          diagnostics.error(
              doc,
              path,
              ConfigCodes.INVALID_DEPENDENCY,
              "`" + dep + "` is not an action reference.",
              "Write `deploy.db` (kind.name) or `{kind: Deploy, name: db}`.");
        } else {
          dependencies.add(new ActionConfig.Dependency(ref, path));
        }
      }
    } else if (deps != null) {
      diagnostics.error(
          doc,
          "dependencies",
          ConfigCodes.INVALID_FIELD,
          "`dependencies` must be a list.",
          "Write `dependencies: [build.api, deploy.db]`.");
    }
    return dependencies;
  }

  /** The name of the Build that {@code build} names, or null. */
  private String build(ConfigDocument doc, Map<String, Object> context, Diagnostics diagnostics) {
    Object buildValue =
        templating.resolveOrNull(
            doc, "build", doc.content().get("build"), context, diagnostics, null);
    if (buildValue instanceof String text && !text.isEmpty()) {
      return text;
    }
    if (buildValue != null) {
      diagnostics.error(
          doc,
          "build",
          ConfigCodes.INVALID_FIELD,
          "`build` must be the name of a Build action.",
          "Write e.g. `build: api`.");
    }
    return null;
  }

  /**
   * The action's source folder relative to the root: its config's, {@code source.path}, or the
   * clone of {@code source.repository.url}.
   */
  private String sourceDir(
      ConfigDocument doc,
      ActionRef ref,
      Path configDir,
      Map<String, Object> context,
      Diagnostics diagnostics) {
    String sourceDir = relative(project.root(), configDir);
    Object source =
        templating.resolveOrNull(
            doc, "source", doc.content().get("source"), context, diagnostics, null);
    if (remoteSources != null
        && source instanceof Map<?, ?> sourceMap
        && sourceMap.get("repository") instanceof Map<?, ?> repository
        && repository.get("url") instanceof String url) {
      Path clone = remoteSources.actionClone(doc, ref.toString(), url, diagnostics);
      return clone == null ? sourceDir : relative(project.root(), clone);
    }
    if (source instanceof Map<?, ?> sourceMap && sourceMap.get("path") instanceof String path) {
      Path dir = configDir.resolve(path).normalize();
      if (!Files.isDirectory(dir)) {
        diagnostics.error(
            doc,
            "source.path",
            ConfigCodes.SOURCE_NOT_FOUND,
            "`source.path` `" + path + "` is not a folder.",
            "Give a folder relative to " + doc.displayFile() + "'s folder.");
      } else if (!dir.startsWith(project.root())) {
        diagnostics.error(
            doc,
            "source.path",
            ConfigCodes.SOURCE_OUTSIDE_PROJECT,
            "`source.path` `" + path + "` is outside the project.",
            "Keep action sources inside the project root.");
      } else {
        sourceDir = relative(project.root(), dir);
      }
    }
    return sourceDir;
  }

  private Object timeout(ConfigDocument doc, Map<String, Object> context, Diagnostics diagnostics) {
    Object timeout =
        templating.resolveOrNull(
            doc, "timeout", doc.content().get("timeout"), context, diagnostics, null);
    if (timeout != null && !(timeout instanceof Number)) {
      diagnostics.error(
          doc,
          "timeout",
          ConfigCodes.INVALID_FIELD,
          "`timeout` must be a number of seconds.",
          "Write e.g. `timeout: 300`.");
    }
    return timeout;
  }

  /** The unresolved {@code spec}, checked against the type's schema. */
  private static Map<String, Object> spec(
      ConfigDocument doc, ActionKind kind, ActionType handler, Diagnostics diagnostics) {
    Object spec = doc.content().get("spec");
    if (spec != null && !(spec instanceof Map<?, ?>)) {
      diagnostics.error(
          doc,
          "spec",
          ConfigCodes.INVALID_FIELD,
          "`spec` must be a map.",
          "Write the type's fields under `spec:`.");
    }
    if (handler != null && spec instanceof Map<?, ?>) {
      new SchemaChecker(doc, diagnostics)
          .check(
              spec,
              handler.specSchema(),
              "spec",
              "a " + kind.displayName() + "/" + handler.type() + " action's spec");
    }
    return spec instanceof Map<?, ?> map ? ValueTrees.map(map) : Map.of();
  }

  private List<String> definedEnvironments() {
    List<String> names = new ArrayList<>();
    if (project.document().content().get("environments") instanceof List<?> list) {
      for (Object env : list) {
        if (env instanceof Map<?, ?> map && map.get("name") != null) {
          names.add(String.valueOf(map.get("name")));
        }
      }
    }
    return names;
  }

  static ActionRef dependencyRef(Object dep) {
    if (dep instanceof String text) {
      return ActionRef.parse(text).orElse(null);
    }
    if (dep instanceof Map<?, ?> map
        && map.get("kind") instanceof String kind
        && map.get("name") instanceof String name) {
      return ActionKind.parse(kind).map(k -> ActionRef.of(k, name)).orElse(null);
    }
    return null;
  }

  private ActionConfig.VersionSettings versionSettings(
      ConfigDocument doc,
      Map<String, Object> raw,
      Map<String, Object> context,
      Diagnostics diagnostics) {
    if (!(raw.get("version") instanceof Map<?, ?> version)) {
      return ActionConfig.VersionSettings.NONE;
    }
    return new ActionConfig.VersionSettings(
        orEmpty(
            stringList(
                doc, "version.excludeFields", version.get("excludeFields"), context, diagnostics)),
        orEmpty(
            stringList(
                doc, "version.excludeValues", version.get("excludeValues"), context, diagnostics)),
        orEmpty(
            stringList(
                doc, "version.excludeFiles", version.get("excludeFiles"), context, diagnostics)),
        orEmpty(
            stringList(
                doc,
                "version.excludeDependencies",
                version.get("excludeDependencies"),
                context,
                diagnostics)));
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  private String stringAt(
      ConfigDocument doc,
      String path,
      Object value,
      Map<String, Object> context,
      Diagnostics diagnostics) {
    Object resolved = templating.resolveOrNull(doc, path, value, context, diagnostics, null);
    return resolved == null ? null : resolved.toString();
  }

  private List<String> stringList(
      ConfigDocument doc,
      String path,
      Object value,
      Map<String, Object> context,
      Diagnostics diagnostics) {
    if (value == null) {
      return null;
    }
    Object resolved = templating.resolveOrNull(doc, path, value, context, diagnostics, null);
    if (resolved instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object item : list) {
        if (item instanceof String || item instanceof Number) {
          out.add(item.toString());
        } else if (item != null) {
          diagnostics.error(
              doc,
              path,
              ConfigCodes.INVALID_FIELD,
              "`" + path + "` must be a list of strings.",
              "Write e.g. `" + path + ": [\"src/**\"]`.");
          return null;
        }
      }
      return out;
    }
    if (resolved != null) {
      diagnostics.error(
          doc,
          path,
          ConfigCodes.INVALID_FIELD,
          "`" + path + "` must be a list of strings, not " + ValueTrees.typeName(resolved) + ".",
          "Write e.g. `" + path + ": [\"src/**\"]`.");
    }
    return null;
  }

  static String relative(Path root, Path dir) {
    String rel = root.relativize(dir).toString().replace('\\', '/');
    return rel.equals(".") ? "" : rel;
  }
}
