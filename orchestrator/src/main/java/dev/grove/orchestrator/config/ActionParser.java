package dev.grove.orchestrator.config;

import dev.grove.actions.spi.ActionType;
import dev.grove.actions.spi.ActionTypeRegistry;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.api.error.Problem;
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

  /** The action, or null when its problems make it unusable (they are added to errors). */
  ActionConfig parse(
      ConfigDocument doc, ActionKind kind, List<Problem> errors, List<Problem> warnings) {
    Map<String, Object> raw = doc.content();
    int before = errors.size();
    new SchemaChecker(doc, errors, warnings)
        .check(raw, ConfigSchemas.forKind(kind), "", "a " + kind.displayName() + " action");

    Object typeValue = raw.get("type");
    ActionType handler = null;
    if (!(typeValue instanceof String type)) {
      errors.add(
          Problems.at(
              doc,
              "type",
              "MISSING_TYPE",
              "The " + kind.displayName() + " action has no `type`.",
              "Add one of: " + String.join(", ", types.typesOf(kind)) + "."));
    } else {
      handler = types.find(kind, type).orElse(null);
      if (handler == null) {
        errors.add(
            Problems.at(
                doc,
                "type",
                "UNKNOWN_TYPE",
                "Grove does not know the " + kind.displayName() + " type `" + type + "`.",
                "Known "
                    + kind.displayName()
                    + " types: "
                    + String.join(", ", types.typesOf(kind))
                    + "."
                    + Problems.closest(type, types.typesOf(kind))
                        .map(m -> " Did you mean `" + m + "`?")
                        .orElse("")));
      }
    }

    // Variables: the action's own on top of the project's, --var on top of all.
    Map<String, Object> context = TemplateContexts.withVariables(baseContext, project.variables());
    context.put("actions", new TemplateValues.Unavailable(TemplateContexts.ACTIONS_IN_BUILTIN));
    context.put("inputs", new LinkedHashMap<String, Object>());
    int beforeName = errors.size();
    Object nameValue =
        templating.resolveOrNull(doc, "name", raw.get("name"), context, errors, null);
    if (errors.size() > beforeName) {
      return null; // the template error says it all
    }
    if (!(nameValue instanceof String name) || !ProjectResolver.NAME.matcher(name).matches()) {
      errors.add(
          Problems.at(
              doc,
              "name",
              "INVALID_NAME",
              nameValue == null
                  ? "The " + kind.displayName() + " action has no `name`."
                  : "`" + nameValue + "` is not a valid action name.",
              "Use lowercase letters, digits and dashes (at most 63, not starting or ending with"
                  + " a dash)."));
      return null;
    }
    Map<String, Object> thisValues = new LinkedHashMap<>();
    thisValues.put("name", name);
    thisValues.put("mode", "default");
    context.put("this", thisValues);

    Map<String, Object> vars = new LinkedHashMap<>(project.variables());
    Object actionVars =
        templating.resolveOrNull(doc, "variables", raw.get("variables"), context, errors, null);
    if (actionVars instanceof Map<?, ?> map) {
      vars = Values.mergePatch(vars, Values.asMap(map));
    }
    Path configDir = doc.file().getParent();
    Object varfiles =
        templating.resolveOrNull(doc, "varfiles", raw.get("varfiles"), context, errors, null);
    if (varfiles instanceof List<?> files) {
      for (int i = 0; i < files.size(); i++) {
        Object file = files.get(i) instanceof Map<?, ?> m ? m.get("path") : files.get(i);
        boolean optional =
            files.get(i) instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("optional"));
        vars =
            Values.mergePatch(
                vars,
                ProjectResolver.readVarfile(
                    configDir, doc, "varfiles[" + i + "]", file, !optional, errors));
      }
    }
    Map<String, Object> cliVars = new LinkedHashMap<>();
    options.vars().forEach((k, v) -> Values.setPath(cliVars, k, v));
    vars = Values.mergePatch(vars, cliVars);
    context = TemplateContexts.withVariables(context, vars);

    String description = stringAt(doc, "description", raw.get("description"), context, errors);
    boolean disabled =
        Boolean.TRUE.equals(
            templating.resolveOrNull(doc, "disabled", raw.get("disabled"), context, errors, false));
    Object environments =
        templating.resolveOrNull(
            doc, "environments", raw.get("environments"), context, errors, null);
    if (environments instanceof List<?> envs) {
      if (!envs.contains(project.environment())) {
        disabled = true;
      }
      List<String> defined = definedEnvironments();
      for (int i = 0; i < envs.size(); i++) {
        String env = String.valueOf(envs.get(i));
        if (!defined.contains(env)) {
          warnings.add(
              Problems.at(
                  doc,
                  "environments[" + i + "]",
                  "UNKNOWN_ENVIRONMENT",
                  "`"
                      + env
                      + "` is not an environment of the project, so it never enables "
                      + name
                      + ".",
                  Problems.didYouMean(env, defined, "environments")));
        }
      }
    }

    List<ActionConfig.Dependency> dependencies = new ArrayList<>();
    Object deps =
        templating.resolveOrNull(
            doc, "dependencies", raw.get("dependencies"), context, errors, null);
    if (deps instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        Object dep = list.get(i);
        String path = "dependencies[" + i + "]";
        if (dep == null) {
          continue;
        }
        ActionRef ref = dependencyRef(dep);
        if (ref == null) {
          errors.add(
              Problems.at(
                  doc,
                  path,
                  "INVALID_DEPENDENCY",
                  "`" + dep + "` is not an action reference.",
                  "Write `deploy.db` (kind.name) or `{kind: Deploy, name: db}`."));
        } else {
          dependencies.add(new ActionConfig.Dependency(ref, path));
        }
      }
    } else if (deps != null) {
      errors.add(
          Problems.at(
              doc,
              "dependencies",
              "INVALID_FIELD",
              "`dependencies` must be a list.",
              "Write `dependencies: [build.api, deploy.db]`."));
    }
    String build = null;
    if (kind != ActionKind.BUILD) {
      Object buildValue =
          templating.resolveOrNull(doc, "build", raw.get("build"), context, errors, null);
      if (buildValue instanceof String text && !text.isEmpty()) {
        build = text;
        dependencies.add(
            new ActionConfig.Dependency(ActionRef.of(ActionKind.BUILD, text), "build"));
      } else if (buildValue != null) {
        errors.add(
            Problems.at(
                doc,
                "build",
                "INVALID_FIELD",
                "`build` must be the name of a Build action.",
                "Write e.g. `build: api`."));
      }
    }

    String sourceDir = relative(project.root(), configDir);
    Object source =
        templating.resolveOrNull(doc, "source", raw.get("source"), context, errors, null);
    if (source instanceof Map<?, ?> sourceMap && sourceMap.get("path") instanceof String path) {
      Path dir = configDir.resolve(path).normalize();
      if (!Files.isDirectory(dir)) {
        errors.add(
            Problems.at(
                doc,
                "source.path",
                "SOURCE_NOT_FOUND",
                "`source.path` `" + path + "` is not a folder.",
                "Give a folder relative to " + doc.displayFile() + "'s folder."));
      } else if (!dir.startsWith(project.root())) {
        errors.add(
            Problems.at(
                doc,
                "source.path",
                "SOURCE_OUTSIDE_PROJECT",
                "`source.path` `" + path + "` is outside the project.",
                "Keep action sources inside the project root."));
      } else {
        sourceDir = relative(project.root(), dir);
      }
    }
    List<String> include = stringList(doc, "include", raw.get("include"), context, errors);
    List<String> exclude = stringList(doc, "exclude", raw.get("exclude"), context, errors);
    Object timeout =
        templating.resolveOrNull(doc, "timeout", raw.get("timeout"), context, errors, null);
    if (timeout != null && !(timeout instanceof Number)) {
      errors.add(
          Problems.at(
              doc,
              "timeout",
              "INVALID_FIELD",
              "`timeout` must be a number of seconds.",
              "Write e.g. `timeout: 300`."));
    }
    ActionConfig.VersionSettings versionSettings = versionSettings(doc, raw, context, errors);

    Object spec = raw.get("spec");
    if (spec != null && !(spec instanceof Map<?, ?>)) {
      errors.add(
          Problems.at(
              doc,
              "spec",
              "INVALID_FIELD",
              "`spec` must be a map.",
              "Write the type's fields under `spec:`."));
    }
    if (handler != null && spec instanceof Map<?, ?>) {
      new SchemaChecker(doc, errors, warnings)
          .check(
              spec,
              handler.specSchema(),
              "spec",
              "a " + kind.displayName() + "/" + handler.type() + " action's spec");
    }
    if (handler == null || errors.size() > before && isFatal(errors, before)) {
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
        spec instanceof Map<?, ?> map ? Values.asMap(map) : Map.of(),
        versionSettings);
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

  /** Unknown fields are reported but do not stop the action from being graphed. */
  private static boolean isFatal(List<Problem> errors, int from) {
    for (int i = from; i < errors.size(); i++) {
      if (!SchemaChecker.UNKNOWN_FIELD.equals(errors.get(i).code())) {
        return true;
      }
    }
    return false;
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
      List<Problem> errors) {
    if (!(raw.get("version") instanceof Map<?, ?> version)) {
      return ActionConfig.VersionSettings.NONE;
    }
    return new ActionConfig.VersionSettings(
        orEmpty(
            stringList(
                doc, "version.excludeFields", version.get("excludeFields"), context, errors)),
        orEmpty(
            stringList(
                doc, "version.excludeValues", version.get("excludeValues"), context, errors)),
        orEmpty(
            stringList(doc, "version.excludeFiles", version.get("excludeFiles"), context, errors)),
        orEmpty(
            stringList(
                doc,
                "version.excludeDependencies",
                version.get("excludeDependencies"),
                context,
                errors)));
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  private String stringAt(
      ConfigDocument doc,
      String path,
      Object value,
      Map<String, Object> context,
      List<Problem> errors) {
    Object resolved = templating.resolveOrNull(doc, path, value, context, errors, null);
    return resolved == null ? null : resolved.toString();
  }

  private List<String> stringList(
      ConfigDocument doc,
      String path,
      Object value,
      Map<String, Object> context,
      List<Problem> errors) {
    if (value == null) {
      return null;
    }
    Object resolved = templating.resolveOrNull(doc, path, value, context, errors, null);
    if (resolved instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object item : list) {
        if (item instanceof String || item instanceof Number) {
          out.add(item.toString());
        } else if (item != null) {
          errors.add(
              Problems.at(
                  doc,
                  path,
                  "INVALID_FIELD",
                  "`" + path + "` must be a list of strings.",
                  "Write e.g. `" + path + ": [\"src/**\"]`."));
          return null;
        }
      }
      return out;
    }
    if (resolved != null) {
      errors.add(
          Problems.at(
              doc,
              path,
              "INVALID_FIELD",
              "`" + path + "` must be a list of strings, not " + Values.typeName(resolved) + ".",
              "Write e.g. `" + path + ": [\"src/**\"]`."));
    }
    return null;
  }

  static String relative(Path root, Path dir) {
    String rel = root.relativize(dir).toString().replace('\\', '/');
    return rel.equals(".") ? "" : rel;
  }
}
