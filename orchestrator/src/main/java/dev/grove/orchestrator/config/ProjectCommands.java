package dev.grove.orchestrator.config;

import dev.grove.api.error.Problem;
import dev.grove.api.value.ValueTrees;
import dev.grove.orchestrator.template.TemplateException;
import dev.grove.orchestrator.template.TemplateResolver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The project's Workflows and custom Commands ({@code kind: Workflow}, {@code kind: Command}),
 * checked as Garden 0.13's schemas check them (workflow top-level keys are open, steps and commands
 * closed), every problem naming its file, line and property.
 */
public record ProjectCommands(
    Map<String, WorkflowConfig> workflows,
    Map<String, CustomCommandConfig> commands,
    Map<String, List<Problem>> brokenCommands) {

  public static final ProjectCommands NONE = new ProjectCommands(Map.of(), Map.of(), Map.of());

  /**
   * @param brokenCommands the Commands whose documents have errors, with them: Garden checks a
   *     Command only when it is run ({@code garden NAME}), so they are warnings until then
   */
  public ProjectCommands {
    workflows = Map.copyOf(workflows);
    commands = Map.copyOf(commands);
    brokenCommands = Map.copyOf(brokenCommands);
  }

  static final Pattern ENV_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_.-]*$");
  private static final Set<String> STEP_KEYS =
      Set.of("name", "command", "description", "envVars", "script", "skip", "when");
  private static final Set<String> COMMAND_KEYS =
      Set.of(
          "apiVersion",
          "kind",
          "name",
          "description",
          "internal",
          "args",
          "opts",
          "exec",
          "gardenCommand",
          "variables");
  private static final List<String> WHEN = List.of("onSuccess", "onError", "always", "never");

  /**
   * Takes the Workflow and Command documents out of {@code documents} (the rest are actions) and
   * checks them; problems go to {@code diagnostics}.
   */
  static ProjectCommands takeFrom(
      List<ConfigDocument> documents, ProjectConfig project, Diagnostics diagnostics) {
    Map<String, WorkflowConfig> workflows = new LinkedHashMap<>();
    Map<String, CustomCommandConfig> commands = new LinkedHashMap<>();
    Map<String, List<Problem>> broken = new LinkedHashMap<>();
    Map<String, ConfigDocument> seen = new LinkedHashMap<>();
    for (Iterator<ConfigDocument> it = documents.iterator(); it.hasNext(); ) {
      ConfigDocument doc = it.next();
      Object kind = doc.content().get("kind");
      if (!"Workflow".equals(kind) && !"Command".equals(kind)) {
        continue;
      }
      it.remove();
      Checker checker = new Checker(doc, diagnostics);
      int mark = diagnostics.mark();
      if (kind.equals("Workflow")) {
        WorkflowConfig workflow = checker.workflow(project);
        if (workflow != null
            && !diagnostics.errorsSince(mark)
            && unique(doc, kind, seen, diagnostics, workflow.name())) {
          workflows.put(workflow.name(), workflow);
        }
      } else if (doc.displayFile().contains("/")) {
        diagnostics.warning(
            doc,
            "kind",
            ConfigCodes.GROVE_IGNORED_KIND,
            "Garden reads custom Commands only from config files at the project root; this one"
                + " in "
                + doc.displayFile()
                + " is ignored, as Garden ignores it.",
            "Move the Command into a garden.yml (or *.garden.yml) at the project root.");
      } else {
        Diagnostics own = new Diagnostics();
        CustomCommandConfig command = new Checker(doc, own).command();
        own.warnings().forEach(diagnostics.warnings()::add);
        if (own.hasErrors()) {
          List<Problem> errors = own.failure().problems();
          for (Problem problem : errors) {
            diagnostics
                .warnings()
                .add(
                    new Problem(
                        problem.code(),
                        problem.message()
                            + " (Garden checks a Command only when it runs: `grove "
                            + doc.content().get("name")
                            + "` fails with this.)",
                        problem.suggestion(),
                        problem.location()));
          }
          if (doc.content().get("name") instanceof String name) {
            broken.put(name, errors);
          }
        } else if (command != null && unique(doc, kind, seen, diagnostics, command.name())) {
          commands.put(command.name(), command);
        }
      }
    }
    return new ProjectCommands(workflows, commands, broken);
  }

  private static boolean unique(
      ConfigDocument doc,
      Object kind,
      Map<String, ConfigDocument> seen,
      Diagnostics diagnostics,
      String name) {
    ConfigDocument previous = seen.putIfAbsent(kind + " " + name, doc);
    if (previous == null) {
      return true;
    }
    int[] at = previous.locations().find("name");
    diagnostics.error(
        doc,
        "name",
        ConfigCodes.INVALID_NAME,
        kind
            + " `"
            + name
            + "` is defined twice: here and at "
            + previous.displayFile()
            + ":"
            + at[0]
            + ".",
        "Rename one of them; " + kind + " names are unique in a project.");
    return false;
  }

  /**
   * The context a workflow's or command's templates are resolved in when it runs, as Garden's
   * {@code WorkflowConfigContext}: the project's ({@code local}, {@code project}, {@code git},
   * ...), the environment, and the project's variables.
   */
  public static Map<String, Object> context(LoadedProject loaded, Map<String, String> env) {
    ProjectConfig project = loaded.project();
    Map<String, Object> base = TemplateContexts.project(project.root(), project.name(), env);
    base.put(
        "environment", TemplateContexts.environment(project.environment(), project.namespace()));
    return TemplateContexts.withVariables(base, project.variables());
  }

  /**
   * Resolves a raw value of a workflow or command document; a template error is a {@link
   * dev.grove.orchestrator.error.ConfigException} naming the file, line and property.
   */
  public static Object resolve(
      ConfigDocument document, String path, Object value, Map<String, Object> context) {
    try {
      return new TemplateResolver().resolveTree(value, context);
    } catch (TemplateException e) {
      throw new dev.grove.orchestrator.error.ConfigException(Templating.problem(document, path, e));
    }
  }

  /** A located error about a resolved value of a workflow or command document. */
  public static dev.grove.orchestrator.error.ConfigException invalid(
      ConfigDocument document, String path, String message, String suggestion) {
    return new dev.grove.orchestrator.error.ConfigException(
        Problems.at(document, path, ConfigCodes.INVALID_FIELD, message, suggestion));
  }

  /** Checks one document's fields, reporting each problem at its property. */
  private static final class Checker {
    private final ConfigDocument doc;
    private final Diagnostics diagnostics;
    private final Map<String, Object> content;

    Checker(ConfigDocument doc, Diagnostics diagnostics) {
      this.doc = doc;
      this.diagnostics = diagnostics;
      this.content = doc.content();
    }

    WorkflowConfig workflow(ProjectConfig project) {
      String name = name("Workflow");
      String description = string(content.get("description"), "description");
      Map<String, Object> envVars = envVars(content.get("envVars"), "envVars");
      List<Object> files = files(content.get("files"));
      number(content.get("keepAliveHours"), "keepAliveHours", 0);
      limits(content.get("limits"), "limits");
      if (content.get("resources") instanceof Map<?, ?> resources) {
        limits(resources.get("limits"), "resources.limits");
      }
      triggers(content.get("triggers"), project);
      List<WorkflowConfig.Step> steps = steps(content.get("steps"));
      return name == null
          ? null
          : new WorkflowConfig(name, description, envVars, files, steps, doc);
    }

    CustomCommandConfig command() {
      String name = name("Command");
      for (String key : content.keySet()) {
        if (!COMMAND_KEYS.contains(key)) {
          error(
              key,
              "Unknown field `" + key + "` in Command " + name + ".",
              Problems.didYouMean(
                  key, List.copyOf(new java.util.TreeSet<>(COMMAND_KEYS)), "fields"));
        }
      }
      String shortText = null;
      String longText = null;
      Object description = content.get("description");
      if (!(description instanceof Map<?, ?> map)) {
        error(
            "description",
            "Command " + name + " needs `description.short` (the help text `garden help` shows).",
            "Add description: {short: \"...\"} (at most 100 characters).");
      } else {
        shortText = string(map.get("short"), "description.short");
        longText = string(map.get("long"), "description.long");
        if (shortText == null) {
          error("description.short", "`description.short` is required.", "Add a short help text.");
        } else if (shortText.length() > 100) {
          error(
              "description.short",
              "`description.short` is longer than 100 characters (Garden's limit).",
              "Shorten it; put the rest in description.long.");
        }
      }
      List<CustomCommandConfig.Parameter> args = parameters(content.get("args"), "args");
      List<CustomCommandConfig.Parameter> opts = parameters(content.get("opts"), "opts");
      Object exec = content.get("exec");
      Object gardenCommand = content.get("gardenCommand");
      if (exec == null && gardenCommand == null) {
        error(
            "name",
            "Command " + name + " has neither `exec` nor `gardenCommand`.",
            "Add exec: {command: [...]} to run a program, or gardenCommand: [...] to run a"
                + " command.");
      }
      if (exec != null && !template(exec)) {
        if (!(exec instanceof Map<?, ?> map)) {
          error(
              "exec",
              "`exec` must be a map with `command` (and `env`).",
              "Write exec: {command: [sh, -c, \"...\"]}.");
        } else {
          for (Object key : map.keySet()) {
            if (!key.equals("command") && !key.equals("env")) {
              error(
                  "exec." + key,
                  "Unknown field `exec." + key + "`.",
                  "exec has `command` and `env`.");
            }
          }
          if (map.get("command") == null) {
            error(
                "exec", "`exec.command` is required.", "Write exec: {command: [sh, -c, \"...\"]}.");
          }
          strings(map.get("command"), "exec.command");
          envVars(map.get("env"), "exec.env");
        }
      }
      strings(gardenCommand, "gardenCommand");
      Object variables = content.get("variables");
      if (variables != null && !template(variables) && !(variables instanceof Map<?, ?>)) {
        error("variables", "`variables` must be a map.", "Write variables: {name: value}.");
      }
      return name == null
          ? null
          : new CustomCommandConfig(
              name, shortText, longText, args, opts, exec, gardenCommand, variables, doc);
    }

    private String name(String kind) {
      Object value = content.get("name");
      if (value instanceof String name
          && ProjectResolver.NAME.matcher(name).matches()
          && !name.startsWith("garden")) {
        return name;
      }
      error(
          "name",
          value == null
              ? "The " + kind + " has no `name`."
              : "`" + value + "` is not a valid " + kind + " name.",
          "Use lowercase letters, digits and dashes (at most 63, not starting or ending with a"
              + " dash, not starting with `garden`); Garden does not template names.");
      return null;
    }

    private List<WorkflowConfig.Step> steps(Object value) {
      List<WorkflowConfig.Step> steps = new ArrayList<>();
      if (!(value instanceof List<?> list) || list.isEmpty()) {
        error(
            "steps",
            value == null
                ? "The Workflow has no `steps`."
                : "`steps` must be a list of at least one step.",
            "Add steps: [{script: ...}] or [{command: [deploy]}]; steps run one after another.");
        return steps;
      }
      for (int i = 0; i < list.size(); i++) {
        String path = "steps[" + i + "]";
        if (!(list.get(i) instanceof Map<?, ?> raw)) {
          error(path, "Step " + (i + 1) + " must be a map.", "Give it `command` or `script`.");
          continue;
        }
        Map<String, Object> step = ValueTrees.map(raw);
        for (String key : step.keySet()) {
          if (key.equals("continueOnError")) {
            diagnostics.warning(
                doc,
                path + "." + key,
                ConfigCodes.GROVE_NOT_ACTED_ON,
                "`continueOnError` is not in Garden 0.13's workflow schema (Garden 0.13.24 rejects"
                    + " it: \"continueOnError\" is not allowed); Grove accepts it as later Garden"
                    + " versions do: a failure of this step does not fail the workflow.",
                "Remove it to keep the project loadable by Garden 0.13.");
          } else if (!STEP_KEYS.contains(key)) {
            error(
                path + "." + key,
                "Unknown field `" + key + "` in step " + (i + 1) + ".",
                Problems.didYouMean(
                    key, List.copyOf(new java.util.TreeSet<>(STEP_KEYS)), "step fields"));
          }
        }
        Object stepName = step.get("name");
        String name = null;
        if (stepName != null) {
          if (stepName instanceof String text && ProjectResolver.NAME.matcher(text).matches()) {
            name = text;
          } else {
            error(
                path + ".name",
                "`" + stepName + "` is not a valid step name.",
                "Use lowercase letters, digits and dashes; later steps reference it as"
                    + " ${steps.NAME.log}.");
          }
        }
        Object command = step.get("command");
        Object script = step.get("script");
        if (command != null && script != null) {
          // Garden 0.13.24 checks its xor after setting each step's command aside, so it
          // accepts both and then runs the command.
          diagnostics.warning(
              doc,
              path,
              ConfigCodes.INVALID_FIELD,
              "Step "
                  + (i + 1)
                  + " has both `command` and `script`; Garden's schema allows one, Garden 0.13.24"
                  + " runs the command and ignores the script, and so does Grove.",
              "Split it into two steps.");
        } else if (command == null && script == null) {
          diagnostics.warning(
              doc,
              path,
              ConfigCodes.INVALID_FIELD,
              "Step "
                  + (i + 1)
                  + " has neither `command` nor `script`; Garden 0.13.24 loads it and fails the"
                  + " step when the workflow runs, and so does Grove.",
              "Give the step either command: [deploy] (a Grove command) or script: (bash).");
        }
        List<Object> commandItems = null;
        if (command != null) {
          if (command instanceof List<?> items) {
            commandItems = new ArrayList<>(items);
            strings(command, path + ".command");
          } else {
            error(
                path + ".command",
                "`command` must be a list of strings.",
                "Write command: [deploy, api].");
          }
        }
        String scriptText = null;
        if (script != null) {
          if (script instanceof String text) {
            scriptText = text;
          } else {
            error(
                path + ".script",
                "`script` must be a string.",
                "Write script: | followed by bash lines.");
          }
        }
        envVars(step.get("envVars"), path + ".envVars");
        Object skip = step.get("skip");
        if (skip != null && !(skip instanceof Boolean) && !template(skip)) {
          error(
              path + ".skip",
              "`skip` must be true or false.",
              "Write skip: true, or a template such as ${environment.name != 'prod'}.");
        }
        Object when = step.get("when");
        if (when != null && !(when instanceof String)) {
          error(
              path + ".when",
              "`when` must be a string.",
              "Use one of: " + String.join(", ", WHEN) + ".");
        } else if (when instanceof String text && !template(text) && !WHEN.contains(text)) {
          diagnostics.warning(
              doc,
              path + ".when",
              ConfigCodes.INVALID_FIELD,
              "`when: "
                  + text
                  + "` is none of "
                  + String.join(", ", WHEN)
                  + "; Garden runs such a step as `onSuccess`, and so does Grove.",
              Problems.didYouMean(text, WHEN, "values"));
        }
        Object continueOnError = step.get("continueOnError");
        if (continueOnError != null
            && !(continueOnError instanceof Boolean)
            && !template(continueOnError)) {
          error(
              path + ".continueOnError",
              "`continueOnError` must be true or false.",
              "Write continueOnError: true.");
        }
        steps.add(
            new WorkflowConfig.Step(
                i,
                WorkflowConfig.stepName(i, name),
                string(step.get("description"), path + ".description"),
                commandItems,
                scriptText,
                step.get("envVars"),
                skip,
                when,
                continueOnError));
      }
      return steps;
    }

    private List<Object> files(Object value) {
      if (value == null || template(value)) {
        return List.of();
      }
      if (!(value instanceof List<?> list)) {
        error("files", "`files` must be a list.", "Write files: [{path: ..., data: ...}].");
        return List.of();
      }
      for (int i = 0; i < list.size(); i++) {
        String path = "files[" + i + "]";
        if (!(list.get(i) instanceof Map<?, ?> file)) {
          error(
              path,
              "A file must be a map with `path` and `data`.",
              "Write {path: .auth/x, data: ...}.");
          continue;
        }
        Object filePath = file.get("path");
        if (!(filePath instanceof String text) || text.isBlank()) {
          error(
              path + ".path",
              "The file needs a `path`.",
              "Give a path relative to the project root.");
        } else if (!template(text)
            && (text.startsWith("/") || java.util.Arrays.asList(text.split("/")).contains(".."))) {
          error(
              path + ".path",
              "`" + text + "` is not a relative path inside the project.",
              "Give a path relative to the project root, without `..`.");
        }
        if ((file.get("data") == null) == (file.get("secretName") == null)) {
          error(
              path,
              "A file needs exactly one of `data` and `secretName`.",
              "Give the file's content as `data` (secretName is Garden Cloud's).");
        }
      }
      return new ArrayList<>(list);
    }

    private void triggers(Object value, ProjectConfig project) {
      if (!(value instanceof List<?> list)) {
        if (value != null) {
          error("triggers", "`triggers` must be a list.", "Write triggers: [{environment: ...}].");
        }
        return;
      }
      Set<String> environments = new HashSet<>();
      if (project.document().content().get("environments") instanceof List<?> envs) {
        for (Object env : envs) {
          if (env instanceof Map<?, ?> map && map.get("name") != null) {
            environments.add(String.valueOf(map.get("name")));
          }
        }
      }
      for (int i = 0; i < list.size(); i++) {
        String path = "triggers[" + i + "]";
        Object env = list.get(i) instanceof Map<?, ?> map ? map.get("environment") : null;
        if (env == null) {
          error(
              path + ".environment",
              "A trigger needs an `environment`.",
              "Name one of the project's environments.");
        } else if (!environments.contains(String.valueOf(env))) {
          error(
              path + ".environment",
              "Invalid environment in trigger: `" + env + "` is not an environment of the project.",
              "Valid environments: "
                  + String.join(", ", new java.util.TreeSet<>(environments))
                  + ".");
        }
      }
    }

    private void limits(Object value, String path) {
      if (value instanceof Map<?, ?> map) {
        number(map.get("cpu"), path + ".cpu", 100);
        number(map.get("memory"), path + ".memory", 64);
      }
    }

    private List<CustomCommandConfig.Parameter> parameters(Object value, String path) {
      List<CustomCommandConfig.Parameter> out = new ArrayList<>();
      if (value == null) {
        return out;
      }
      if (!(value instanceof List<?> list)) {
        error(
            path,
            "`" + path + "` must be a list.",
            "Write " + path + ": [{name: ..., description: ...}].");
        return out;
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        String at = path + "[" + i + "]";
        if (!(list.get(i) instanceof Map<?, ?> map)) {
          error(
              at, "Each of `" + path + "` must be a map.", "Write {name: ..., description: ...}.");
          continue;
        }
        Object name = map.get("name");
        Object type = map.get("type") == null ? "string" : map.get("type");
        if (!(name instanceof String text) || !ProjectResolver.NAME.matcher(text).matches()) {
          error(
              at + ".name",
              "`" + name + "` is not a valid parameter name.",
              "Use lowercase letters, digits and dashes.");
          continue;
        }
        if (!names.add(text)) {
          error(
              at + ".name",
              "`" + text + "` is declared twice in `" + path + "`.",
              "Names are unique.");
        }
        if (!(map.get("description") instanceof String)) {
          error(
              at + ".description",
              "`" + path + "` " + text + " needs a `description`.",
              "Add description: \"...\".");
        }
        if (!List.of("string", "integer", "boolean").contains(type)) {
          error(
              at + ".type",
              "`type: " + type + "` is not string, integer or boolean.",
              "Use string, integer or boolean.");
        }
        out.add(
            new CustomCommandConfig.Parameter(
                text,
                String.valueOf(map.get("description")),
                String.valueOf(type),
                Boolean.TRUE.equals(map.get("required"))));
      }
      return out;
    }

    private Map<String, Object> envVars(Object value, String path) {
      if (value == null || template(value)) {
        return value == null ? Map.of() : Map.of();
      }
      if (!(value instanceof Map<?, ?> map)) {
        error(
            path,
            "`" + path + "` must be a map of variable names to values.",
            "Write " + path + ": {NAME: value}.");
        return Map.of();
      }
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        if (!ENV_NAME.matcher(key).matches()) {
          error(
              SourceMap.child(path, key),
              "`" + key + "` is not an environment variable name.",
              "Use letters, digits and underscores, not starting with a digit.");
        } else if (entry.getValue() != null && !ValueTrees.isScalar(entry.getValue())) {
          error(
              SourceMap.child(path, key),
              "`" + path + "." + key + "` must be a string, number or boolean.",
              "Environment variables hold text.");
        }
      }
      return ValueTrees.map(map);
    }

    private void strings(Object value, String path) {
      if (value == null || template(value)) {
        return;
      }
      if (!(value instanceof List<?> list)) {
        error(
            path, "`" + path + "` must be a list of strings.", "Write " + path + ": [word, word].");
        return;
      }
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) != null && !ValueTrees.isScalar(list.get(i))) {
          error(
              path + "[" + i + "]",
              "`" + path + "[" + i + "]` must be a string.",
              "Each item is one word of the command.");
        }
      }
    }

    private String string(Object value, String path) {
      if (value == null) {
        return null;
      }
      if (!(value instanceof String text)) {
        error(path, "`" + path + "` must be a string.", "Quote it.");
        return null;
      }
      return text;
    }

    private void number(Object value, String path, int min) {
      if (value == null || template(value)) {
        return;
      }
      if (!(value instanceof Number number)) {
        error(path, "`" + path + "` must be a number.", "Write a number.");
      } else if (number.doubleValue() < min) {
        error(
            path,
            "`" + path + "` must be at least " + min + ".",
            "Raise it to " + min + " or more.");
      }
    }

    private void error(String path, String message, String suggestion) {
      diagnostics.error(doc, path, ConfigCodes.INVALID_FIELD, message, suggestion);
    }
  }

  /** True for a string holding a template: its type is known only once it is resolved. */
  static boolean template(Object value) {
    return value instanceof String text && TemplateResolver.hasTemplate(text);
  }
}
