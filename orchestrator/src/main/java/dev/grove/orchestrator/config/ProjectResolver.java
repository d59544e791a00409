package dev.grove.orchestrator.config;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.provider.Provider;
import dev.grove.api.value.ValueTrees;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resolves the project document for one environment: variables with Garden's precedence, the
 * environment's namespace, and the providers enabled there.
 */
final class ProjectResolver {
  static final Pattern NAME = Pattern.compile("^(?![0-9]+$)(?!.*-$)(?!-)[a-z0-9-]{1,63}$");

  private final Templating templating;

  ProjectResolver(Templating templating) {
    this.templating = templating;
  }

  /** The resolved project, or null when a problem makes going on pointless. */
  ProjectConfig resolve(
      Path root, ConfigDocument doc, LoadOptions options, Diagnostics diagnostics) {
    Map<String, Object> raw = doc.content();
    new SchemaChecker(doc, diagnostics).check(raw, ConfigSchemas.PROJECT, "", "the project");
    String name = name(doc, diagnostics);
    if (name == null) {
      return null;
    }
    Map<String, Object> base = TemplateContexts.project(root, name, options.env());
    Map<String, Object> vars = projectVariables(root, doc, base, diagnostics);
    Environment env = environment(doc, options.environment(), base, diagnostics);
    if (env == null) {
      return null;
    }
    Map<String, Object> envContext = TemplateContexts.withVariables(base, vars);
    vars =
        ValueTrees.mergePatch(vars, environmentVariables(root, doc, env, envContext, diagnostics));
    vars = ValueTrees.mergePatch(vars, options.varTree());
    String namespace = namespace(doc, env, envContext, diagnostics);
    boolean production =
        Boolean.TRUE.equals(
            templating.resolveOrNull(
                doc,
                env.path() + ".production",
                env.config().get("production"),
                envContext,
                diagnostics,
                false));

    // Providers enabled in this environment.
    Map<String, Object> providerContext = providerContext(base, vars, env.name(), namespace);
    InitScript initScript =
        new InitScript(root, options.env(), InitScript.TIMEOUT, new ProcessRunner());
    GroveSettings settings = GroveSettings.read(root, diagnostics);
    List<Provider> providers =
        settings.applyTo(
            new ProviderResolver(templating, initScript)
                .resolve(
                    doc,
                    raw.get("providers"),
                    name,
                    env.name(),
                    namespace,
                    providerContext,
                    diagnostics),
            name);

    String appNamespace = name + "-" + namespace;
    for (Provider provider : providers) {
      if (provider instanceof KubernetesProvider kubernetes && kubernetes.namespace().isPresent()) {
        appNamespace = kubernetes.namespace().get().name();
      }
    }
    if (raw.containsKey("concurrency")) {
      GroveSettings.warnDeprecated(
          doc, "concurrency", "concurrency", "concurrency: {build: 4, ...}", diagnostics);
    }
    Map<String, Integer> concurrency =
        settings.concurrencyOver(
            concurrency(
                doc,
                templating.resolveOrNull(
                    doc, "concurrency", raw.get("concurrency"), providerContext, diagnostics, null),
                diagnostics));
    return new ProjectConfig(
        root,
        name,
        env.name(),
        namespace,
        appNamespace,
        production,
        vars,
        providers,
        dotIgnoreFile(raw),
        concurrency,
        doc);
  }

  /**
   * The environment a load resolves for.
   *
   * @param namespaceOverride the namespace {@code --env NAMESPACE.ENVIRONMENT} gave, or null
   * @param path where its config is in the project document
   */
  private record Environment(
      String name, String namespaceOverride, Map<String, Object> config, String path) {}

  /** The project's name, or null (reported) when it has none or an invalid one. */
  private static String name(ConfigDocument doc, Diagnostics diagnostics) {
    Object nameValue = doc.content().get("name");
    if (nameValue instanceof String name && NAME.matcher(name).matches()) {
      return name;
    }
    diagnostics.error(
        doc,
        "name",
        ConfigCodes.INVALID_NAME,
        nameValue == null
            ? "The project has no `name`."
            : "The project name `" + nameValue + "` is not a valid name.",
        "Use lowercase letters, digits and dashes (at most 63, not starting or ending with"
            + " a dash), e.g. `name: shop`.");
    return null;
  }

  /** The project's variables, then its varfile on top. */
  private Map<String, Object> projectVariables(
      Path root, ConfigDocument doc, Map<String, Object> base, Diagnostics diagnostics) {
    Map<String, Object> raw = doc.content();
    Map<String, Object> vars = mapAt(doc, "variables", raw.get("variables"), base, diagnostics);
    Object varfile =
        templating.resolveOrNull(doc, "varfile", raw.get("varfile"), base, diagnostics, null);
    return ValueTrees.mergePatch(
        vars,
        readVarfile(
            root,
            doc,
            "varfile",
            varfile == null ? "garden.env" : varfile,
            varfile != null,
            diagnostics));
  }

  /** The environment {@code --env} names, or the default one; null (reported) when none fits. */
  private Environment environment(
      ConfigDocument doc, String requested, Map<String, Object> base, Diagnostics diagnostics) {
    List<Map<String, Object>> environments = environments(doc, diagnostics);
    List<String> envNames = environments.stream().map(e -> String.valueOf(e.get("name"))).toList();
    String namespaceOverride = null;
    if (requested != null && requested.indexOf('.') != requested.lastIndexOf('.')) {
      diagnostics.error(
          doc,
          "environments",
          ConfigCodes.INVALID_ENVIRONMENT,
          "`--env " + requested + "` has more than one dot.",
          "Write `--env ENVIRONMENT` or `--env NAMESPACE.ENVIRONMENT` (one dot).");
      return null;
    }
    if (requested != null && requested.contains(".")) {
      namespaceOverride = requested.substring(0, requested.indexOf('.'));
      requested = requested.substring(requested.indexOf('.') + 1);
    }
    Object defaultEnv =
        templating.resolveOrNull(
            doc,
            "defaultEnvironment",
            doc.content().get("defaultEnvironment"),
            base,
            diagnostics,
            null);
    String envName =
        requested != null
            ? requested
            : defaultEnv instanceof String text && !text.isEmpty()
                ? text
                : envNames.isEmpty() ? null : envNames.get(0);
    if (envName == null) {
      diagnostics.error(
          doc,
          "environments",
          ConfigCodes.NO_ENVIRONMENTS,
          "The project defines no environments.",
          "Add at least one, e.g. `environments: [{name: dev}]`.");
      return null;
    }
    int envIndex = envNames.indexOf(envName);
    if (envIndex < 0) {
      diagnostics.error(
          doc,
          requested != null ? "environments" : "defaultEnvironment",
          ConfigCodes.UNKNOWN_ENVIRONMENT,
          "Environment `" + envName + "` is not defined in the project.",
          Problems.didYouMean(envName, envNames, "environments"));
      return null;
    }
    return new Environment(
        envName, namespaceOverride, environments.get(envIndex), "environments[" + envIndex + "]");
  }

  /** The environment's variables, then its varfile on top. */
  private Map<String, Object> environmentVariables(
      Path root,
      ConfigDocument doc,
      Environment env,
      Map<String, Object> envContext,
      Diagnostics diagnostics) {
    Map<String, Object> envVars =
        mapAt(
            doc, env.path() + ".variables", env.config().get("variables"), envContext, diagnostics);
    Object envVarfile =
        templating.resolveOrNull(
            doc,
            env.path() + ".varfile",
            env.config().get("varfile"),
            envContext,
            diagnostics,
            null);
    return ValueTrees.mergePatch(
        envVars,
        readVarfile(
            root,
            doc,
            env.path() + ".varfile",
            envVarfile == null ? "garden." + env.name() + ".env" : envVarfile,
            envVarfile != null,
            diagnostics));
  }

  /** The namespace {@code --env} names, else the environment's {@code defaultNamespace}. */
  private String namespace(
      ConfigDocument doc,
      Environment env,
      Map<String, Object> envContext,
      Diagnostics diagnostics) {
    Object defaultNamespace =
        templating.resolveOrNull(
            doc,
            env.path() + ".defaultNamespace",
            env.config().get("defaultNamespace"),
            envContext,
            diagnostics,
            null);
    return env.namespaceOverride() != null
        ? env.namespaceOverride()
        : defaultNamespace instanceof String text && !text.isEmpty() ? text : "default";
  }

  /** What provider configs may reference: variables, the environment and earlier providers. */
  private static Map<String, Object> providerContext(
      Map<String, Object> base, Map<String, Object> vars, String envName, String namespace) {
    Map<String, Object> providerContext = TemplateContexts.withVariables(base, vars);
    providerContext.put("environment", TemplateContexts.environment(envName, namespace));
    providerContext.put("providers", new LinkedHashMap<String, Object>());
    return providerContext;
  }

  private static String dotIgnoreFile(Map<String, Object> raw) {
    Object ignore = raw.get("dotIgnoreFile");
    if (ignore == null && raw.get("dotIgnoreFiles") instanceof List<?> list && !list.isEmpty()) {
      ignore = list.get(0);
    }
    return ignore instanceof String text ? text : ".gardenignore";
  }

  /** {@code concurrency: {build: 4, deploy: 8, overall: 16}}: positive whole numbers. */
  static Map<String, Integer> concurrency(
      ConfigDocument doc, Object value, Diagnostics diagnostics) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    if (!(value instanceof Map<?, ?> map)) {
      return out;
    }
    map.forEach(
        (key, limit) -> {
          if (limit instanceof Number number
              && number.doubleValue() == Math.rint(number.doubleValue())
              && number.intValue() >= 1) {
            out.put(key.toString(), number.intValue());
          } else {
            diagnostics.error(
                doc,
                "concurrency." + key,
                ConfigCodes.INVALID_FIELD,
                "`concurrency."
                    + key
                    + "` must be a whole number of at least 1, not `"
                    + limit
                    + "`.",
                "Write e.g. `concurrency: {build: 4, deploy: 8, overall: 16}`.");
          }
        });
    return out;
  }

  private List<Map<String, Object>> environments(ConfigDocument doc, Diagnostics diagnostics) {
    Object value = doc.content().get("environments");
    List<Map<String, Object>> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof List<?> list)) {
      diagnostics.error(
          doc,
          "environments",
          ConfigCodes.INVALID_FIELD,
          "`environments` must be a list, not " + ValueTrees.typeName(value) + ".",
          "Write `environments: [{name: dev}]`.");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> map && map.get("name") instanceof String) {
        out.add(ValueTrees.map(map));
      } else {
        diagnostics.error(
            doc,
            "environments[" + i + "]",
            ConfigCodes.INVALID_FIELD,
            "Each environment needs a `name`.",
            "Write `- name: dev`.");
      }
    }
    return out;
  }

  static final List<String> BUILD_MODES =
      List.of("local-docker", "jib", "kaniko", "cluster-buildkit", "cluster-docker");

  /** The values of the kubernetes provider's fields Grove relies on, once resolved. */
  static void checkKubernetes(
      ConfigDocument doc, String path, Map<String, Object> config, Diagnostics diagnostics) {
    Object registry = config.get("deploymentRegistry");
    if (registry != null) {
      if (!(registry instanceof Map<?, ?> map)
          || !(map.get("hostname") instanceof String host)
          || host.isBlank()) {
        diagnostics.error(
            doc,
            path + ".deploymentRegistry",
            ConfigCodes.INVALID_FIELD,
            "`deploymentRegistry` needs a `hostname`.",
            "Write e.g. `deploymentRegistry: {hostname: europe-west1-docker.pkg.dev,"
                + " namespace: my-project/my-repo}`.");
      } else if (map.get("port") != null && KubernetesProvider.port(map.get("port")) == null) {
        diagnostics.error(
            doc,
            path + ".deploymentRegistry.port",
            ConfigCodes.INVALID_FIELD,
            "`deploymentRegistry.port` must be a number, not `" + map.get("port") + "`.",
            "Write e.g. `port: 5000`, or leave it out.");
      }
    }
    for (String key : List.of("imagePullSecrets", "copySecrets")) {
      Object secrets = config.get(key);
      if (secrets == null) {
        continue;
      }
      List<?> list = secrets instanceof List<?> l ? l : null;
      for (int i = 0; list == null || i < list.size(); i++) {
        if (list == null
            || !(list.get(i) instanceof Map<?, ?> secret)
            || !(secret.get("name") instanceof String name)
            || name.isBlank()) {
          diagnostics.error(
              doc,
              list == null ? path + "." + key : path + "." + key + "[" + i + "]",
              ConfigCodes.INVALID_FIELD,
              "Each of `" + key + "` needs a `name` (and optionally a `namespace`).",
              "Write e.g. `" + key + ": [{name: my-registry-secret, namespace: default}]`.");
          break;
        }
      }
    }
    Object buildMode = config.get("buildMode");
    if ("jib".equals(buildMode)) { // Garden's kubernetes provider refuses it
      GroveSettings.warnDeprecated(
          doc, path + ".buildMode", "buildMode: jib", "buildMode: jib", diagnostics);
    } else if (buildMode != null && !BUILD_MODES.contains(String.valueOf(buildMode))) {
      diagnostics.error(
          doc,
          path + ".buildMode",
          ConfigCodes.INVALID_FIELD,
          "Unknown `buildMode` `" + buildMode + "`.",
          Problems.didYouMean(String.valueOf(buildMode), BUILD_MODES, "build modes"));
    }
  }

  private Map<String, Object> mapAt(
      ConfigDocument doc,
      String path,
      Object value,
      Map<String, Object> context,
      Diagnostics diagnostics) {
    if (value == null) {
      return new LinkedHashMap<>();
    }
    Object resolved = templating.resolveOrNull(doc, path, value, context, diagnostics, Map.of());
    if (resolved instanceof Map<?, ?> map) {
      return new LinkedHashMap<>(ValueTrees.map(map));
    }
    diagnostics.error(
        doc,
        path,
        ConfigCodes.INVALID_FIELD,
        "`" + path + "` must be a map of variables, not " + ValueTrees.typeName(resolved) + ".",
        "Write `" + path + ": {key: value}`.");
    return new LinkedHashMap<>();
  }

  static Map<String, Object> readVarfile(
      Path baseDir,
      ConfigDocument doc,
      String path,
      Object file,
      boolean required,
      Diagnostics diagnostics) {
    if (!(file instanceof String name)) {
      diagnostics.error(
          doc,
          path,
          ConfigCodes.INVALID_FIELD,
          "`" + path + "` must be a file path.",
          "Write e.g. `" + path + ": garden.env`.");
      return Map.of();
    }
    try {
      var vars = VarFiles.read(baseDir.resolve(name));
      if (vars.isEmpty() && required) {
        diagnostics.error(
            doc,
            path,
            ConfigCodes.VARFILE_NOT_FOUND,
            "The varfile `" + name + "` does not exist.",
            "Create it, or fix the path (relative to " + baseDir + ").");
      }
      return vars.orElse(Map.of());
    } catch (VarFiles.VarFileException e) {
      diagnostics.error(
          doc,
          path,
          ConfigCodes.VARFILE_INVALID,
          "The varfile `" + name + "` cannot be used: " + e.getMessage(),
          e.suggestion());
      return Map.of();
    }
  }
}
