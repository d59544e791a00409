package dev.grove.orchestrator.config;

import dev.grove.orchestrator.template.TemplateValues;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The template contexts of each config location, as Garden scopes them: project fields see {@code
 * local}, {@code project}, {@code git}, {@code datetime}, {@code command}, {@code secrets};
 * environments add {@code var}; providers add {@code environment}; actions add their own variables
 * and {@code this}; only an action's {@code spec} sees {@code actions}.
 */
final class TemplateContexts {
  private TemplateContexts() {}

  static final String ACTIONS_IN_PROJECT =
      "actions.* cannot be referenced in project fields; only an action's spec can reference"
          + " other actions.";
  static final String ACTIONS_IN_BUILTIN =
      "actions.* cannot be referenced in an action's built-in fields (name, dependencies,"
          + " disabled, include, ...); only its spec can reference other actions.";
  static final String VAR_IN_PROJECT =
      "var.* is not available in this project field; variables can be used in environments,"
          + " providers and actions.";

  /** The context of the project's own fields. */
  static Map<String, Object> project(Path root, String projectName, Map<String, String> env) {
    Map<String, Object> context = new LinkedHashMap<>();
    Map<String, Object> local = new LinkedHashMap<>();
    local.put("env", new LinkedHashMap<String, Object>(env));
    local.put("platform", platform());
    local.put("arch", arch());
    local.put("projectPath", root.toString());
    String user = env.getOrDefault("USER", System.getProperty("user.name", ""));
    local.put("username", user);
    local.put("usernameLowerCase", user.toLowerCase(Locale.ROOT));
    context.put("local", local);
    context.put("project", new LinkedHashMap<>(Map.of("name", projectName)));
    context.put("git", GitInfo.read(root));
    Instant now = Instant.now();
    Map<String, Object> datetime = new LinkedHashMap<>();
    datetime.put("now", now.toString());
    datetime.put("today", now.atZone(ZoneOffset.UTC).toLocalDate().toString());
    datetime.put("timestamp", now.getEpochSecond());
    context.put("datetime", datetime);
    context.put("command", new LinkedHashMap<>(Map.of("name", "", "params", Map.of())));
    context.put("secrets", new LinkedHashMap<String, Object>());
    context.put("var", new TemplateValues.Unavailable(VAR_IN_PROJECT));
    context.put("variables", new TemplateValues.Unavailable(VAR_IN_PROJECT));
    context.put("actions", new TemplateValues.Unavailable(ACTIONS_IN_PROJECT));
    return context;
  }

  /** A copy of {@code base} with {@code var} and {@code variables} set. */
  static Map<String, Object> withVariables(Map<String, Object> base, Map<String, Object> vars) {
    Map<String, Object> context = new LinkedHashMap<>(base);
    context.put("var", vars);
    context.put("variables", vars);
    return context;
  }

  /** The {@code environment} that providers and actions see. */
  static Map<String, Object> environment(String name, String namespace) {
    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put("name", name);
    environment.put("fullName", namespace + "." + name);
    environment.put("namespace", namespace);
    return environment;
  }

  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("mac")) {
      return "darwin";
    }
    return os.contains("win") ? "win32" : "linux";
  }

  private static String arch() {
    String arch = System.getProperty("os.arch", "");
    return switch (arch) {
      case "amd64", "x86_64" -> "x64";
      case "aarch64" -> "arm64";
      default -> arch;
    };
  }
}
