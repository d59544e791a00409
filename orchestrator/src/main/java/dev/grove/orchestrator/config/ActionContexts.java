package dev.grove.orchestrator.config;

import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionType;
import dev.grove.actions.spi.DeployTarget;
import dev.grove.actions.spi.KubeContext;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.orchestrator.template.TemplateResolver;
import java.nio.file.Path;
import java.util.Map;

/** The parts of an action's context that come from the loaded project. */
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

  /** Where a Deploy, Run or Test goes (its namespace, its Build's outputs); null for a Build. */
  private static DeployTarget deployTarget(
      LoadedProject project,
      LoadedProject.ResolvedAction action,
      Map<String, Object> buildOutputs,
      TemplateResolver templates) {
    if (action.config().ref().kind() == ActionKind.BUILD) {
      return null;
    }
    ProjectConfig config = project.project();
    return new DeployTarget(
        config.name(),
        config.environment(),
        config.appNamespace(),
        config.production(),
        buildOutputs,
        ManifestTemplates.of(templates, filesContext(action)));
  }

  /**
   * What an action's template files see: its spec's context, and for an action a ConfigTemplate
   * rendered, {@code inputs}, {@code parent} and {@code template} as Garden gives them.
   */
  private static Map<String, Object> filesContext(LoadedProject.ResolvedAction action) {
    Map<String, Object> scope = action.config().document().templateScope();
    if (scope.isEmpty()) {
      return action.templateContext();
    }
    Map<String, Object> context = new java.util.LinkedHashMap<>(action.templateContext());
    context.putAll(scope);
    return context;
  }

  /** A Build's outputs known without running it (image names and tags, version). */
  public static Map<String, Object> staticOutputs(
      LoadedProject project, LoadedProject.ResolvedAction action) {
    return staticOutputs(project, action, action.spec());
  }

  /** As {@link #staticOutputs(LoadedProject, LoadedProject.ResolvedAction)}, of this spec. */
  public static Map<String, Object> staticOutputs(
      LoadedProject project, LoadedProject.ResolvedAction action, Map<String, Object> spec) {
    return action
        .config()
        .handler()
        .staticOutputs(
            new ActionType.OutputContext(
                action.config().ref().name(),
                spec,
                action.version(),
                project.project().registry()));
  }

  /**
   * A context with what the project knows of the action: its folders, static outputs and, for the
   * types that work with Kubernetes, the {@link KubeContext} (the environment's kubernetes provider
   * and a Deploy's target); the run adds the rest.
   *
   * @param buildOutputs the outputs of the action's {@code build} (a Deploy's target has them);
   *     empty without one
   * @param templates resolves templates in a Deploy's manifest files
   */
  public static ActionContext.Builder context(
      LoadedProject project,
      LoadedProject.ResolvedAction action,
      Map<String, Object> spec,
      Map<String, Object> buildOutputs,
      TemplateResolver templates) {
    return ActionContext.builder(action.config().ref(), action.config().type(), action.version())
        .spec(spec)
        .dirs(sourceDir(project, action), project.project().root())
        .outputs(staticOutputs(project, action, spec))
        .extension(
            KubeContext.class,
            new KubeContext(
                project.project().kubernetesOrDefaults(),
                deployTarget(project, action, buildOutputs, templates)));
  }
}
