package dev.grove.orchestrator.config.modules;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a Module's template strings for the actions it becomes, as Garden maps them: {@code
 * runtime.services.X} is {@code actions.deploy.X} and {@code runtime.tasks.X} is {@code
 * actions.run.X} (an implicit dependency, as in Garden); {@code modules.X.outputs.K} is the value
 * when Garden knows it before X is built (an image name), else {@code actions.build.X.outputs.K}.
 */
final class ModuleReferences {
  private static final Pattern RUNTIME =
      Pattern.compile("(?<![\\w.-])runtime\\.(services|tasks)\\.");
  private static final Pattern WHOLE_OUTPUT =
      Pattern.compile("\\$\\{\\s*modules\\.([\\w-]+)\\.outputs\\.([\\w-]+)\\s*}");
  private static final Pattern MODULE =
      Pattern.compile("(?<![\\w.-])modules\\.([\\w-]+)\\.(outputs|version|path|buildPath|var)\\b");

  /**
   * @param staticOutputs per module name, the outputs known at load time
   * @param builds the modules that become a Build action
   */
  private final Map<String, Map<String, String>> staticOutputs;

  private final java.util.Set<String> builds;

  ModuleReferences(Map<String, Map<String, String>> staticOutputs, java.util.Set<String> builds) {
    this.staticOutputs = staticOutputs;
    this.builds = builds;
  }

  String rewrite(String text) {
    Matcher whole = WHOLE_OUTPUT.matcher(text);
    StringBuilder out = new StringBuilder();
    while (whole.find()) {
      String value = staticOutputs.getOrDefault(whole.group(1), Map.of()).get(whole.group(2));
      whole.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : whole.group()));
    }
    whole.appendTail(out);
    String result =
        RUNTIME
            .matcher(out.toString())
            .replaceAll(m -> m.group(1).equals("services") ? "actions.deploy." : "actions.run.");
    return MODULE
        .matcher(result)
        .replaceAll(
            m ->
                builds.contains(m.group(1))
                    ? Matcher.quoteReplacement(
                        "actions.build." + m.group(1) + "." + field(m.group(2)))
                    : Matcher.quoteReplacement(m.group()));
  }

  private static String field(String moduleField) {
    return moduleField.equals("path") ? "sourcePath" : moduleField;
  }
}
