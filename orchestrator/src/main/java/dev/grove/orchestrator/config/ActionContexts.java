package dev.grove.orchestrator.config;

import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionType;
import dev.grove.actions.spi.DeployTarget;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.orchestrator.template.TemplateResolver;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The parts of an {@link ActionContext} that come from the loaded project. */
public final class ActionContexts {
  private ActionContexts() {}

  /** The action's folder; for a Deploy/Run/Test with {@code build}, the Build's. */
  public static Path sourceDir(LoadedProject project, LoadedProject.ResolvedAction action) {
    String sourceDir = action.config().sourceDir();
    String build = action.config().build();
    if (build != null) {
      LoadedProject.ResolvedAction buildAction =
          project.actions().get(ActionRef.of(ActionKind.BUILD, build));
      if (buildAction != null) {
        sourceDir = buildAction.config().sourceDir();
      }
    }
    return project.project().root().resolve(sourceDir);
  }

  /** The kubernetes provider's {@code buildMode}, Garden's default when it has none. */
  public static String buildMode(LoadedProject project) {
    return project.project().providers().stream()
        .filter(provider -> provider.name().endsWith("kubernetes"))
        .map(provider -> provider.config().get("buildMode"))
        .filter(String.class::isInstance)
        .map(String.class::cast)
        .findFirst()
        .orElse(ActionContext.DEFAULT_BUILD_MODE);
  }

  /** The kubernetes provider's resolved config; empty without one. */
  public static Map<String, Object> kubernetesProvider(LoadedProject project) {
    return project.project().providers().stream()
        .filter(p -> p.name().endsWith("kubernetes"))
        .map(ProjectConfig.ProviderConfig::config)
        .findFirst()
        .orElse(Map.of());
  }

  /** Where a Deploy goes; null for other kinds. */
  public static DeployTarget deployTarget(
      LoadedProject project,
      LoadedProject.ResolvedAction action,
      Map<String, Object> buildOutputs,
      TemplateResolver templates) {
    if (action.config().ref().kind() != ActionKind.DEPLOY) {
      return null;
    }
    ProjectConfig config = project.project();
    return new DeployTarget(
        config.name(),
        config.environment(),
        config.appNamespace(),
        config.production(),
        kubernetesProvider(project),
        buildOutputs,
        ManifestTemplates.of(templates, action.templateContext()));
  }

  /** A Build's outputs known without running it (image names and tags, version). */
  public static Map<String, Object> staticOutputs(
      LoadedProject project, LoadedProject.ResolvedAction action) {
    Optional<ActionType.ImageRegistry> registry = ProjectLoader.registry(project.project());
    return action
        .config()
        .handler()
        .staticOutputs(
            new ActionType.OutputContext(
                action.config().ref().name(), action.spec(), action.version(), registry));
  }
}
