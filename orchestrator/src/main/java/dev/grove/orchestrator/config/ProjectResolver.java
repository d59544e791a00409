package dev.grove.orchestrator.config;

import dev.grove.actions.kube.KubernetesProviderSchema;
import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.actions.provider.Provider;
import dev.grove.actions.spi.Schema;
import dev.grove.api.error.Problem;
import dev.grove.orchestrator.template.TemplateValues;
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
  static final List<String> PROVIDERS =
      List.of("kubernetes", "local-kubernetes", "exec", "container");

  private final Templating templating;

  ProjectResolver(Templating templating) {
    this.templating = templating;
  }

  /** The resolved project, or null when a problem makes going on pointless. */
  ProjectConfig resolve(
      Path root,
      ConfigDocument doc,
      LoadOptions options,
      List<Problem> errors,
      List<Problem> warnings) {
    Map<String, Object> raw = doc.content();
    new SchemaChecker(doc, errors, warnings).check(raw, ConfigSchemas.PROJECT, "", "the project");

    Object nameValue = raw.get("name");
    if (!(nameValue instanceof String name) || !NAME.matcher(name).matches()) {
      errors.add(
          Problems.at(
              doc,
              "name",
              "INVALID_NAME",
              nameValue == null
                  ? "The project has no `name`."
                  : "The project name `" + nameValue + "` is not a valid name.",
              "Use lowercase letters, digits and dashes (at most 63, not starting or ending with"
                  + " a dash), e.g. `name: shop`."));
      return null;
    }
    Map<String, Object> base = TemplateContexts.project(root, name, options.env());

    // Project variables, then the project varfile.
    Map<String, Object> vars = mapAt(doc, "variables", raw.get("variables"), base, errors);
    Object varfile =
        templating.resolveOrNull(doc, "varfile", raw.get("varfile"), base, errors, null);
    vars =
        Values.mergePatch(
            vars,
            readVarfile(
                root,
                doc,
                "varfile",
                varfile == null ? "garden.env" : varfile,
                varfile != null,
                errors));

    // The environment.
    List<Map<String, Object>> environments = environments(doc, errors);
    List<String> envNames = environments.stream().map(e -> String.valueOf(e.get("name"))).toList();
    String requested = options.environment();
    String namespaceOverride = null;
    if (requested != null && requested.indexOf('.') != requested.lastIndexOf('.')) {
      errors.add(
          Problems.at(
              doc,
              "environments",
              "INVALID_ENVIRONMENT",
              "`--env " + requested + "` has more than one dot.",
              "Write `--env ENVIRONMENT` or `--env NAMESPACE.ENVIRONMENT` (one dot)."));
      return null;
    }
    if (requested != null && requested.contains(".")) {
      namespaceOverride = requested.substring(0, requested.indexOf('.'));
      requested = requested.substring(requested.indexOf('.') + 1);
    }
    Object defaultEnv =
        templating.resolveOrNull(
            doc, "defaultEnvironment", raw.get("defaultEnvironment"), base, errors, null);
    String envName =
        requested != null
            ? requested
            : defaultEnv instanceof String text && !text.isEmpty()
                ? text
                : envNames.isEmpty() ? null : envNames.get(0);
    if (envName == null) {
      errors.add(
          Problems.at(
              doc,
              "environments",
              "NO_ENVIRONMENTS",
              "The project defines no environments.",
              "Add at least one, e.g. `environments: [{name: dev}]`."));
      return null;
    }
    int envIndex = envNames.indexOf(envName);
    if (envIndex < 0) {
      errors.add(
          Problems.at(
              doc,
              requested != null ? "environments" : "defaultEnvironment",
              "UNKNOWN_ENVIRONMENT",
              "Environment `" + envName + "` is not defined in the project.",
              Problems.didYouMean(envName, envNames, "environments")));
      return null;
    }
    Map<String, Object> env = environments.get(envIndex);
    String envPath = "environments[" + envIndex + "]";
    Map<String, Object> envContext = TemplateContexts.withVariables(base, vars);
    Map<String, Object> envVars =
        mapAt(doc, envPath + ".variables", env.get("variables"), envContext, errors);
    Object envVarfile =
        templating.resolveOrNull(
            doc, envPath + ".varfile", env.get("varfile"), envContext, errors, null);
    envVars =
        Values.mergePatch(
            envVars,
            readVarfile(
                root,
                doc,
                envPath + ".varfile",
                envVarfile == null ? "garden." + envName + ".env" : envVarfile,
                envVarfile != null,
                errors));
    vars = Values.mergePatch(vars, envVars);
    Map<String, Object> cliVars = new LinkedHashMap<>();
    options.vars().forEach((k, v) -> Values.setPath(cliVars, k, v));
    vars = Values.mergePatch(vars, cliVars);

    Object defaultNamespace =
        templating.resolveOrNull(
            doc,
            envPath + ".defaultNamespace",
            env.get("defaultNamespace"),
            envContext,
            errors,
            null);
    String namespace =
        namespaceOverride != null
            ? namespaceOverride
            : defaultNamespace instanceof String text && !text.isEmpty() ? text : "default";
    boolean production =
        Boolean.TRUE.equals(
            templating.resolveOrNull(
                doc, envPath + ".production", env.get("production"), envContext, errors, false));

    // Providers enabled in this environment.
    Map<String, Object> providerContext = TemplateContexts.withVariables(base, vars);
    Map<String, Object> environmentValues = new LinkedHashMap<>();
    environmentValues.put("name", envName);
    environmentValues.put("fullName", namespace + "." + envName);
    environmentValues.put("namespace", namespace);
    providerContext.put("environment", environmentValues);
    providerContext.put(
        "providers",
        new TemplateValues.Unavailable("providers.* cannot be referenced in provider configs."));
    List<Provider> providers =
        providers(doc, raw.get("providers"), name, envName, providerContext, errors, warnings);

    String appNamespace = name + "-" + namespace;
    for (Provider provider : providers) {
      if (provider instanceof KubernetesProvider kubernetes && kubernetes.namespace().isPresent()) {
        appNamespace = kubernetes.namespace().get().name();
      }
    }
    Object ignore = raw.get("dotIgnoreFile");
    if (ignore == null && raw.get("dotIgnoreFiles") instanceof List<?> list && !list.isEmpty()) {
      ignore = list.get(0);
    }
    String dotIgnoreFile = ignore instanceof String text ? text : ".gardenignore";
    Map<String, Integer> concurrency =
        concurrency(
            doc,
            templating.resolveOrNull(
                doc, "concurrency", raw.get("concurrency"), providerContext, errors, null),
            errors);
    return new ProjectConfig(
        root,
        name,
        envName,
        namespace,
        appNamespace,
        production,
        vars,
        providers,
        dotIgnoreFile,
        concurrency,
        doc);
  }

  /** {@code concurrency: {build: 4, deploy: 8, overall: 16}}: positive whole numbers. */
  static Map<String, Integer> concurrency(ConfigDocument doc, Object value, List<Problem> errors) {
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
            errors.add(
                Problems.at(
                    doc,
                    "concurrency." + key,
                    "INVALID_FIELD",
                    "`concurrency."
                        + key
                        + "` must be a whole number of at least 1, not `"
                        + limit
                        + "`.",
                    "Write e.g. `concurrency: {build: 4, deploy: 8, overall: 16}`."));
          }
        });
    return out;
  }

  private List<Map<String, Object>> environments(ConfigDocument doc, List<Problem> errors) {
    Object value = doc.content().get("environments");
    List<Map<String, Object>> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof List<?> list)) {
      errors.add(
          Problems.at(
              doc,
              "environments",
              "INVALID_FIELD",
              "`environments` must be a list, not " + Values.typeName(value) + ".",
              "Write `environments: [{name: dev}]`."));
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> map && map.get("name") instanceof String) {
        out.add(Values.asMap(map));
      } else {
        errors.add(
            Problems.at(
                doc,
                "environments[" + i + "]",
                "INVALID_FIELD",
                "Each environment needs a `name`.",
                "Write `- name: dev`."));
      }
    }
    return out;
  }

  private List<Provider> providers(
      ConfigDocument doc,
      Object value,
      String projectName,
      String envName,
      Map<String, Object> context,
      List<Problem> errors,
      List<Problem> warnings) {
    List<Provider> out = new ArrayList<>();
    if (!(value instanceof List<?> list)) {
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String path = "providers[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map) || !(map.get("name") instanceof String name)) {
        errors.add(
            Problems.at(
                doc,
                path,
                "INVALID_FIELD",
                "Each provider needs a `name`.",
                "Write `- name: kubernetes`."));
        continue;
      }
      if (!PROVIDERS.contains(name)) {
        errors.add(
            Problems.at(
                doc,
                path + ".name",
                "UNKNOWN_PROVIDER",
                "Grove does not know the provider `" + name + "`.",
                Problems.didYouMean(name, PROVIDERS, "providers")));
        continue;
      }
      Schema.Obj schema =
          KubernetesProvider.isKubernetes(name)
              ? KubernetesProviderSchema.SCHEMA
              : KubernetesProviderSchema.PLAIN;
      new SchemaChecker(doc, errors, warnings)
          .check(map, schema, path, "the `" + name + "` provider");
      Object environments =
          templating.resolveOrNull(
              doc, path + ".environments", map.get("environments"), context, errors, null);
      if (environments instanceof List<?> envs && !envs.contains(envName)) {
        continue;
      }
      Object resolved = templating.resolveOrNull(doc, path, map, context, errors, null);
      if (resolved instanceof Map<?, ?> config) {
        if (KubernetesProvider.isKubernetes(name)) {
          checkKubernetes(doc, path, Values.asMap(config), errors);
        }
        out.add(Provider.of(name, Values.asMap(config), projectName));
      }
    }
    return out;
  }

  static final List<String> BUILD_MODES =
      List.of("local-docker", "jib", "kaniko", "cluster-buildkit", "cluster-docker");

  /** The values of the kubernetes provider's fields Grove relies on, once resolved. */
  private static void checkKubernetes(
      ConfigDocument doc, String path, Map<String, Object> config, List<Problem> errors) {
    Object registry = config.get("deploymentRegistry");
    if (registry != null) {
      if (!(registry instanceof Map<?, ?> map)
          || !(map.get("hostname") instanceof String host)
          || host.isBlank()) {
        errors.add(
            Problems.at(
                doc,
                path + ".deploymentRegistry",
                "INVALID_FIELD",
                "`deploymentRegistry` needs a `hostname`.",
                "Write e.g. `deploymentRegistry: {hostname: europe-west1-docker.pkg.dev,"
                    + " namespace: my-project/my-repo}`."));
      } else if (map.get("port") != null && KubernetesProvider.port(map.get("port")) == null) {
        errors.add(
            Problems.at(
                doc,
                path + ".deploymentRegistry.port",
                "INVALID_FIELD",
                "`deploymentRegistry.port` must be a number, not `" + map.get("port") + "`.",
                "Write e.g. `port: 5000`, or leave it out."));
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
          errors.add(
              Problems.at(
                  doc,
                  list == null ? path + "." + key : path + "." + key + "[" + i + "]",
                  "INVALID_FIELD",
                  "Each of `" + key + "` needs a `name` (and optionally a `namespace`).",
                  "Write e.g. `" + key + ": [{name: my-registry-secret, namespace: default}]`."));
          break;
        }
      }
    }
    Object buildMode = config.get("buildMode");
    if (buildMode != null && !BUILD_MODES.contains(String.valueOf(buildMode))) {
      errors.add(
          Problems.at(
              doc,
              path + ".buildMode",
              "INVALID_FIELD",
              "Unknown `buildMode` `" + buildMode + "`.",
              Problems.didYouMean(String.valueOf(buildMode), BUILD_MODES, "build modes")));
    }
  }

  private Map<String, Object> mapAt(
      ConfigDocument doc,
      String path,
      Object value,
      Map<String, Object> context,
      List<Problem> errors) {
    if (value == null) {
      return new LinkedHashMap<>();
    }
    Object resolved = templating.resolveOrNull(doc, path, value, context, errors, Map.of());
    if (resolved instanceof Map<?, ?> map) {
      return new LinkedHashMap<>(Values.asMap(map));
    }
    errors.add(
        Problems.at(
            doc,
            path,
            "INVALID_FIELD",
            "`" + path + "` must be a map of variables, not " + Values.typeName(resolved) + ".",
            "Write `" + path + ": {key: value}`."));
    return new LinkedHashMap<>();
  }

  static Map<String, Object> readVarfile(
      Path baseDir,
      ConfigDocument doc,
      String path,
      Object file,
      boolean required,
      List<Problem> errors) {
    if (!(file instanceof String name)) {
      errors.add(
          Problems.at(
              doc,
              path,
              "INVALID_FIELD",
              "`" + path + "` must be a file path.",
              "Write e.g. `" + path + ": garden.env`."));
      return Map.of();
    }
    try {
      var vars = VarFiles.read(baseDir.resolve(name));
      if (vars.isEmpty() && required) {
        errors.add(
            Problems.at(
                doc,
                path,
                "VARFILE_NOT_FOUND",
                "The varfile `" + name + "` does not exist.",
                "Create it, or fix the path (relative to " + baseDir + ")."));
      }
      return vars.orElse(Map.of());
    } catch (VarFiles.VarFileException e) {
      errors.add(
          Problems.at(
              doc,
              path,
              "VARFILE_INVALID",
              "The varfile `" + name + "` cannot be used: " + e.getMessage(),
              e.suggestion()));
      return Map.of();
    }
  }
}
