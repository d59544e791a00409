package dev.grove.orchestrator.config;

import dev.grove.actions.spi.ActionType;
import dev.grove.api.action.ActionRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One action with its built-in fields resolved; its {@code spec} is still as written, because it
 * may reference other actions and is resolved in graph order.
 *
 * @param sourceDir the action's source folder, relative to the project root ({@code ""} for the
 *     root, {@code /} separators)
 * @param include the {@code include} globs, null when the config has none (Garden's default)
 * @param variables the {@code var} context of this action (project, environment and its own
 *     variables, {@code --var} on top)
 * @param explicitDependencies {@code dependencies} and {@code build}, with the property path each
 *     was written at
 */
public record ActionConfig(
    ActionRef ref,
    String type,
    ActionType handler,
    ConfigDocument document,
    String sourceDir,
    String description,
    boolean disabled,
    List<Dependency> explicitDependencies,
    String build,
    List<String> include,
    List<String> exclude,
    Map<String, Object> variables,
    Object timeout,
    Map<String, Object> spec,
    VersionSettings versionSettings) {

  /** A dependency as written, for error locations. */
  public record Dependency(ActionRef ref, String path) {}

  /** Garden's {@code version.exclude*} settings of an action. */
  public record VersionSettings(
      List<String> excludeFields,
      List<String> excludeValues,
      List<String> excludeFiles,
      List<String> excludeDependencies) {
    public static final VersionSettings NONE =
        new VersionSettings(List.of(), List.of(), List.of(), List.of());
  }

  /** The config file, relative to the project root with {@code /} separators. */
  public String configFile() {
    return document.displayFile();
  }

  public Path configPath() {
    return document.file();
  }
}
