package dev.grove.api.project;

import java.util.Map;

/**
 * What a client sends with every project request: where the project is, how to resolve it, and the
 * invoking shell's working directory and environment (so {@code ${local.env.*}}, {@code KUBECONFIG}
 * and credentials are the user's, not the daemon's).
 *
 * @param root the project root (absolute); null lets the daemon search upward from {@code cwd}
 * @param cwd the client's working directory (absolute)
 * @param environment the environment name, null for the project's default
 * @param vars {@code --var k=v} overrides
 * @param env the client's environment variables
 */
public record ProjectRequest(
    String root,
    String cwd,
    String environment,
    Map<String, String> vars,
    Map<String, String> env) {

  public ProjectRequest {
    vars = vars == null ? Map.of() : Map.copyOf(vars);
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  /**
   * Why {@code name} cannot be a {@code --var} name, or null when it can: a name, or a dotted path
   * to a nested variable ({@code a.b}) whose parts are all non-empty, as Garden sets them. Checked
   * by the CLI (a usage error) and by the daemon (a bad request), by this one rule.
   */
  public static String varNameProblem(String name) {
    if (name.isEmpty()) {
      return "the variable name is empty";
    }
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty()) {
        return "`" + name + "` has an empty part between dots";
      }
    }
    return null;
  }
}
