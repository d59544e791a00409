package dev.grove.orchestrator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.actions.spi.Schema;
import dev.grove.api.project.UserFiles;
import dev.grove.api.value.ValueTrees;
import dev.grove.orchestrator.template.ScopeSubstitution;
import dev.grove.orchestrator.template.TemplateException;
import dev.grove.orchestrator.template.TemplateValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders Garden's config templates, as Garden 0.13 does when it scans configs: each {@code kind:
 * RenderTemplate} (and 0.12's {@code kind: Module, type: templated}) is replaced by the configs and
 * modules of the {@code ConfigTemplate} (or {@code ModuleTemplate}) it names, with its {@code
 * inputs} checked against the template's {@code inputsSchemaPath} and {@code ${inputs.*}}, {@code
 * ${parent.name}} and {@code ${template.name}} resolved; the templates themselves are consumed.
 *
 * <p>What a rendered config holds besides those (variables, other actions' outputs) stays a
 * template for the action's own resolution. A rendered config lives in the RenderTemplate's folder
 * (or its {@code path} below it), as in Garden, and its problems point at the lines of the template
 * that wrote it.
 */
final class TemplateExpansion {
  static final Set<String> KINDS = Set.of("ConfigTemplate", "ModuleTemplate", "RenderTemplate");

  /** The kinds a template's {@code configs} may render (Garden's {@code templatableKinds}). */
  private static final List<String> CONFIG_KINDS =
      List.of("Build", "Deploy", "Run", "Test", "Workflow");

  private static final Schema.Obj TEMPLATE =
      Schema.obj()
          .any("apiVersion", "kind", "name", "inputsSchemaPath", "configs", "modules")
          .build();

  private static final Schema.Obj RENDER =
      Schema.obj().any("apiVersion", "kind", "name", "disabled", "template", "inputs").build();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Templating templating;
  private final Map<String, Object> fieldContext;
  private final Map<String, Object> inputsContext;

  /**
   * @param baseContext the context of action fields before the action's own variables
   */
  TemplateExpansion(Templating templating, ProjectConfig project, Map<String, Object> baseContext) {
    this.templating = templating;
    this.fieldContext = TemplateContexts.withVariables(baseContext, project.variables());
    fieldContext.put(
        "actions", new TemplateValues.Unavailable(TemplateContexts.ACTIONS_IN_BUILTIN));
    // Inputs may name other actions' outputs: those stay templates until the action resolves.
    this.inputsContext = new LinkedHashMap<>(fieldContext);
    inputsContext.put("actions", TemplateValues.DEFERRED);
  }

  /** A ConfigTemplate or ModuleTemplate, read once per load. */
  private record Template(
      ConfigDocument document, String name, InputsSchema schema, String schemaFile) {}

  /** True for the documents this step consumes. */
  static boolean isTemplateKind(ConfigDocument doc) {
    Object kind = doc.content().get("kind");
    return KINDS.contains(kind)
        || "Module".equals(kind) && "templated".equals(doc.content().get("type"));
  }

  /** The documents with every template rendered and consumed; problems go to diagnostics. */
  List<ConfigDocument> expand(List<ConfigDocument> documents, Diagnostics diagnostics) {
    if (documents.stream().noneMatch(TemplateExpansion::isTemplateKind)) {
      return documents;
    }
    Map<String, Template> templates = new LinkedHashMap<>();
    for (ConfigDocument doc : documents) {
      Object kind = doc.content().get("kind");
      if ("ConfigTemplate".equals(kind) || "ModuleTemplate".equals(kind)) {
        Template template = template(doc, diagnostics);
        if (template != null) {
          Template previous = templates.putIfAbsent(template.name(), template);
          if (previous != null) {
            diagnostics.error(
                doc,
                "name",
                ConfigCodes.DUPLICATE_TEMPLATE,
                "The template `"
                    + template.name()
                    + "` is defined twice: here and at "
                    + previous.document().displayFile()
                    + ":"
                    + previous.document().locations().find("name")[0]
                    + ".",
                "Rename one of them; template names are unique in a project.");
          }
        }
      }
    }
    List<ConfigDocument> out = new ArrayList<>(documents.size());
    Map<String, ConfigDocument> renders = new HashMap<>();
    for (ConfigDocument doc : documents) {
      Object kind = doc.content().get("kind");
      if ("RenderTemplate".equals(kind)
          || "Module".equals(kind) && "templated".equals(doc.content().get("type"))) {
        if (doc.content().get("name") instanceof String name
            && !name.contains("${")
            && renders.putIfAbsent(name, doc) != null) {
          ConfigDocument first = renders.get(name);
          diagnostics.error(
              doc,
              "name",
              ConfigCodes.DUPLICATE_TEMPLATE,
              "`"
                  + name
                  + "` renders a template twice: here and at "
                  + first.displayFile()
                  + ":"
                  + first.locations().find("name")[0]
                  + "; its actions would be defined twice.",
              "Rename one of them; ${parent.name} is what makes the rendered names unique.");
          continue;
        }
        render(doc, templates, out, diagnostics);
      } else if (!isTemplateKind(doc)) {
        out.add(doc);
      }
    }
    return out;
  }

  // ---- templates ----

  private Template template(ConfigDocument doc, Diagnostics diagnostics) {
    Map<String, Object> raw = doc.content();
    String what = "a " + raw.get("kind");
    new SchemaChecker(doc, diagnostics).check(raw, TEMPLATE, "", what);
    Object name =
        templating.resolveOrNull(doc, "name", raw.get("name"), fieldContext, diagnostics, null);
    if (!(name instanceof String text) || text.isEmpty()) {
      diagnostics.error(
          doc,
          "name",
          ConfigCodes.INVALID_NAME,
          "The " + raw.get("kind") + " has no `name`.",
          "Add `name:`; RenderTemplates name the template with `template: NAME`.");
      return null;
    }
    for (String list : List.of("configs", "modules")) {
      Object value = raw.get(list);
      if (value != null
          && !(value instanceof List)
          && !(value instanceof String)
          && !(value instanceof Map<?, ?> m && m.containsKey("$forEach"))) {
        diagnostics.error(
            doc,
            list,
            ConfigCodes.INVALID_FIELD,
            "`"
                + list
                + "` of "
                + raw.get("kind")
                + " "
                + text
                + " must be a list, got "
                + ValueTrees.describe(value)
                + ".",
            "Write `" + list + ":` as a list of configs (each with kind and name).");
        return null;
      }
    }
    Object schemaPath = raw.get("inputsSchemaPath");
    if (schemaPath == null) {
      return new Template(doc, text, null, null);
    }
    if (!(schemaPath instanceof String relative) || Path.of(relative).isAbsolute()) {
      diagnostics.error(
          doc,
          "inputsSchemaPath",
          ConfigCodes.INVALID_INPUTS_SCHEMA,
          "`inputsSchemaPath` of " + raw.get("kind") + " " + text + " must be a relative path.",
          "Give the JSON schema's path relative to " + doc.displayFile() + "'s folder.");
      return null;
    }
    Path file = doc.file().getParent().resolve(relative).normalize();
    String display = display(doc, relative);
    Object schema;
    try {
      schema = JSON.readValue(UserFiles.readText(file), Object.class);
    } catch (UserFiles.UnreadableException e) {
      diagnostics.error(
          doc,
          "inputsSchemaPath",
          ConfigCodes.INVALID_INPUTS_SCHEMA,
          "Cannot read the inputs schema "
              + display
              + " of "
              + raw.get("kind")
              + " "
              + text
              + ": "
              + e.getMessage(),
          "Check `inputsSchemaPath`: it is relative to " + doc.displayFile() + "'s folder.");
      return null;
    } catch (JsonProcessingException e) {
      schemaError(
          doc,
          display,
          text,
          "is not valid JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"),
          "Fix the JSON in " + display + ".",
          diagnostics);
      return null;
    }
    InputsSchema inputs =
        schema instanceof Map<?, ?> map ? new InputsSchema(ValueTrees.map(map)) : null;
    if (inputs == null || !"object".equals(inputs.type())) {
      schemaError(
          doc,
          display,
          text,
          "has type "
              + (inputs == null ? ValueTrees.describe(schema) : inputs.type())
              + ", but should be \"object\".",
          "Make the schema's top level `\"type\": \"object\"` with the inputs as `properties`.",
          diagnostics);
      return null;
    }
    return new Template(doc, text, inputs, display);
  }

  private static void schemaError(
      ConfigDocument doc,
      String display,
      String template,
      String problem,
      String suggestion,
      Diagnostics diagnostics) {
    diagnostics.error(
        doc,
        "inputsSchemaPath",
        ConfigCodes.INVALID_INPUTS_SCHEMA,
        "The inputs schema "
            + display
            + " of "
            + doc.content().get("kind")
            + " "
            + template
            + " "
            + problem,
        suggestion);
  }

  private static String display(ConfigDocument doc, String relative) {
    Path folder = Path.of(doc.displayFile()).getParent();
    return (folder == null ? Path.of(relative) : folder.resolve(relative)).normalize().toString();
  }

  // ---- renders ----

  private void render(
      ConfigDocument doc,
      Map<String, Template> templates,
      List<ConfigDocument> out,
      Diagnostics diagnostics) {
    Map<String, Object> raw = doc.content();
    boolean module = "Module".equals(raw.get("kind"));
    String what = module ? "templated Module" : "RenderTemplate";
    if (!module) {
      new SchemaChecker(doc, diagnostics).check(raw, RENDER, "", "a RenderTemplate");
    }
    int mark = diagnostics.mark();
    Object name =
        templating.resolveOrNull(doc, "name", raw.get("name"), fieldContext, diagnostics, null);
    Object templateName =
        templating.resolveOrNull(
            doc, "template", raw.get("template"), fieldContext, diagnostics, null);
    Object disabled =
        templating.resolveOrNull(
            doc, "disabled", raw.get("disabled"), fieldContext, diagnostics, false);
    Object inputs =
        templating.resolveOrNull(
            doc, "inputs", raw.get("inputs"), inputsContext, diagnostics, null);
    if (diagnostics.errorsSince(mark)) {
      return;
    }
    if (!(name instanceof String parent) || parent.isEmpty()) {
      diagnostics.error(
          doc,
          "name",
          ConfigCodes.INVALID_NAME,
          "The " + what + " has no `name`.",
          "Add `name:`; it is ${parent.name} in the template.");
      return;
    }
    if (Boolean.TRUE.equals(disabled)) {
      return;
    }
    if (!(templateName instanceof String wanted)) {
      diagnostics.error(
          doc,
          "template",
          ConfigCodes.UNKNOWN_TEMPLATE,
          "The " + what + " " + parent + " has no `template`.",
          "Add `template: NAME` naming a ConfigTemplate" + available(templates));
      return;
    }
    Template template = templates.get(wanted);
    if (template == null) {
      diagnostics.error(
          doc,
          "template",
          ConfigCodes.UNKNOWN_TEMPLATE,
          what
              + " "
              + parent
              + " renders the template `"
              + wanted
              + "`, which is not defined in the project.",
          Problems.closest(wanted, List.copyOf(templates.keySet()))
              .map(match -> "Did you mean `" + match + "`?")
              .orElse("Define a ConfigTemplate named `" + wanted + "`" + available(templates)));
      return;
    }
    if (inputs != null && !(inputs instanceof Map)) {
      diagnostics.error(
          doc,
          "inputs",
          ConfigCodes.INVALID_INPUTS,
          "`inputs` of "
              + what
              + " "
              + parent
              + " must be a map, got "
              + ValueTrees.describe(inputs)
              + ".",
          "Write the inputs as `name: value` pairs under `inputs:`.");
      return;
    }
    Map<String, Object> checked =
        inputs == null ? new LinkedHashMap<>() : InputsSchema.mutableCopy(ValueTrees.map(inputs));
    if (template.schema() != null) {
      List<InputsSchema.Violation> violations = template.schema().validate(checked);
      for (InputsSchema.Violation violation : violations) {
        diagnostics.error(
            doc,
            violation.inputPath(),
            ConfigCodes.INVALID_INPUTS,
            "`"
                + violation.inputPath()
                + "` of "
                + what
                + " "
                + parent
                + " "
                + violation.message()
                + " (rule `"
                + violation.rule()
                + "` of "
                + template.schemaFile()
                + ", the inputs schema of template "
                + template.name()
                + ").",
            "Change the input to match " + template.schemaFile() + ", or change the schema.");
      }
      if (!violations.isEmpty()) {
        return;
      }
    }
    Map<String, Object> scope = new HashMap<>();
    scope.put("inputs", checked);
    scope.put("parent", new LinkedHashMap<>(Map.of("name", parent)));
    scope.put("template", new LinkedHashMap<>(Map.of("name", template.name())));
    Rendering rendering = new Rendering(doc, template, scope, diagnostics);
    rendering.list("configs", false, out);
    rendering.list("modules", true, out);
  }

  private static String available(Map<String, Template> templates) {
    return templates.isEmpty()
        ? "; the project defines none."
        : "; the project defines: " + String.join(", ", templates.keySet()) + ".";
  }

  /** One RenderTemplate rendering one template. */
  private final class Rendering {
    private final ConfigDocument render;
    private final Template template;
    private final Map<String, Object> scope;
    private final Diagnostics diagnostics;
    private final ScopeSubstitution substitution;

    Rendering(
        ConfigDocument render,
        Template template,
        Map<String, Object> scope,
        Diagnostics diagnostics) {
      this.render = render;
      this.template = template;
      this.scope = scope;
      this.diagnostics = diagnostics;
      this.substitution = new ScopeSubstitution(templating.resolver(), templating.budget());
    }

    private String describe() {
      return "template "
          + template.name()
          + " rendered by "
          + render.displayFile()
          + ":"
          + render.locations().find("")[0];
    }

    /** Renders the template's {@code configs} or {@code modules} into {@code out}. */
    void list(String field, boolean modules, List<ConfigDocument> out) {
      Object written = template.document().content().get(field);
      if (written == null) {
        return;
      }
      if (written instanceof Map<?, ?>) {
        // configs: {$forEach: ..., $return: {...}}: one written config, many rendered
        emit(field, written, field + ".$return", modules, out);
        return;
      }
      if (written instanceof String) {
        // configs: ${inputs.configs}: the inputs hold the configs
        emit(field, written, field, modules, out);
        return;
      }
      List<?> items = (List<?>) written;
      for (int i = 0; i < items.size(); i++) {
        String at = field + "[" + i + "]";
        emit(at, List.of(items.get(i)), writtenConfig(items.get(i), at), modules, out);
      }
    }

    /** Where the config a structural item returns is written: {@code $return}, {@code $then}. */
    private static String writtenConfig(Object item, String at) {
      Object current = item;
      String path = at;
      while (current instanceof Map<?, ?> map) {
        String key =
            map.containsKey("$concat")
                ? "$concat"
                : map.containsKey("$forEach")
                    ? "$return"
                    : map.containsKey("$if")
                        ? (map.containsKey("$then") ? "$then" : "$else")
                        : null;
        if (key == null) {
          break;
        }
        current = map.get(key);
        path = path + "." + key;
      }
      return path;
    }

    private void emit(
        String at, Object written, String configAt, boolean modules, List<ConfigDocument> out) {
      Object rendered;
      try {
        rendered = substitution.substitute(written, scope);
      } catch (TemplateException e) {
        String where =
            SourceMap.pathOf(
                at,
                e.path()
                    .subList(
                        written instanceof List && !e.path().isEmpty() ? 1 : 0, e.path().size()));
        diagnostics.error(
            template.document(),
            where,
            ConfigCodes.TEMPLATE_ERROR,
            "Invalid template in `"
                + where
                + "` of "
                + describe()
                + ": "
                + e.getMessage()
                + (e.expression() == null ? "" : " (in \"" + e.expression() + "\")"),
            e.suggestion());
        return;
      }
      List<Object> configs = new ArrayList<>();
      flatten(rendered, configs);
      SourceMap locations = template.document().locations().under(configAt);
      for (Object config : configs) {
        ConfigDocument doc = document(config, configAt, locations, modules);
        if (doc != null) {
          out.add(doc);
        }
      }
    }

    /** A $forEach written as a list item gives a list in the list: its configs count one by one. */
    private static void flatten(Object rendered, List<Object> out) {
      if (rendered instanceof List<?> list) {
        list.forEach(item -> flatten(item, out));
      } else {
        out.add(rendered);
      }
    }

    private ConfigDocument document(
        Object config, String at, SourceMap locations, boolean modules) {
      ConfigDocument templateDoc = template.document();
      if (!(config instanceof Map<?, ?> map)) {
        diagnostics.error(
            templateDoc,
            at,
            ConfigCodes.CONFIG_NOT_A_MAP,
            "A config of " + describe() + " is " + ValueTrees.describe(config) + ", not a map.",
            "Each entry needs at least `kind` and `name`.");
        return null;
      }
      Map<String, Object> content = new LinkedHashMap<>(ValueTrees.map(map));
      Object kind = content.get("kind");
      if (modules) {
        content.putIfAbsent("kind", "Module");
      } else if (!CONFIG_KINDS.contains(kind)) {
        diagnostics.error(
            templateDoc,
            at.isEmpty() ? "kind" : at + ".kind",
            ConfigCodes.UNKNOWN_KIND,
            "A config of "
                + describe()
                + " has kind `"
                + kind
                + "`; templates render only "
                + String.join(", ", CONFIG_KINDS)
                + ".",
            "Module".equals(kind)
                ? "Put modules under the template's `modules:`, not `configs:`."
                : Problems.didYouMean(String.valueOf(kind), CONFIG_KINDS, "kinds"));
        return null;
      }
      Path folder = render.file().getParent();
      if (content.get("path") instanceof String sub) {
        if (Path.of(sub).isAbsolute()) {
          diagnostics.error(
              templateDoc,
              at + ".path",
              ConfigCodes.INVALID_FIELD,
              "`path` of a config of "
                  + describe()
                  + " must be relative to the RenderTemplate's folder.",
              "Give a subfolder of " + render.displayFile() + "'s folder.");
          return null;
        }
        folder = folder.resolve(sub).normalize();
        content.remove("path");
      }
      if (modules) {
        generatedFiles(content, at);
      }
      return new ConfigDocument(
          folder.resolve(render.file().getFileName()),
          templateDoc.displayFile(),
          templateDoc.index(),
          content,
          locations,
          Map.copyOf(scope));
    }

    /**
     * A module's {@code generateFiles} read from the template's folder ({@code sourcePath}) are
     * rendered now, with the template's scope, and carried as {@code value}: the module's own
     * resolution then sees them wherever the module lives.
     */
    private void generatedFiles(Map<String, Object> content, String at) {
      if (!(content.get("generateFiles") instanceof List<?> files)) {
        return;
      }
      List<Object> rendered = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        Object file = files.get(i);
        if (!(file instanceof Map<?, ?> spec)
            || !(spec.get("sourcePath") instanceof String source)) {
          rendered.add(file);
          continue;
        }
        String where = at + ".generateFiles[" + i + "].sourcePath";
        Path path = template.document().file().getParent().resolve(source).normalize();
        Map<String, Object> entry = new LinkedHashMap<>(ValueTrees.map(spec));
        entry.remove("sourcePath");
        try {
          String text = UserFiles.readText(path);
          entry.put(
              "value",
              Boolean.FALSE.equals(spec.get("resolveTemplates"))
                  ? text
                  : String.valueOf(substitution.substitute(text, scope)));
        } catch (UserFiles.UnreadableException e) {
          diagnostics.error(
              template.document(),
              where,
              ConfigCodes.CONFIG_UNREADABLE,
              "Cannot read "
                  + display(template.document(), source)
                  + ", a file of "
                  + describe()
                  + ": "
                  + e.getMessage(),
              "`sourcePath` is relative to the template's folder ("
                  + template.document().displayFile()
                  + ").");
        } catch (TemplateException e) {
          diagnostics.error(
              template.document(),
              where,
              ConfigCodes.TEMPLATE_ERROR,
              "Invalid template in "
                  + display(template.document(), source)
                  + ", a file of "
                  + describe()
                  + ": "
                  + e.getMessage()
                  + (e.expression() == null ? "" : " (in \"" + e.expression() + "\")"),
              e.suggestion());
        }
        rendered.add(entry);
      }
      content.put("generateFiles", rendered);
    }
  }
}
