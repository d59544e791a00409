package dev.grove.orchestrator.project;

import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.Capability;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.api.render.RenderRequest;
import dev.grove.api.render.RenderResult;
import dev.grove.orchestrator.config.ActionContexts;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.error.NamedSelection;
import dev.grove.orchestrator.router.ActionRouter;
import dev.grove.orchestrator.template.TemplateResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code grove render}: exactly what deploy would apply, without a cluster or a registry: image
 * tags are the Builds' versions (their static outputs). Blocking: run it on a worker pool.
 */
public final class RenderService {
  private final ProjectService projects;
  private final ActionRouter router;
  private final TemplateResolver templates = new TemplateResolver();

  /**
   * Lint findings per Deploy version and provider config: the version covers the spec, the manifest
   * files and the dependencies, so a warm {@code validate} renders nothing again.
   */
  private final Map<String, List<dev.grove.api.error.Problem>> lintCache =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int LINT_CACHE_LIMIT = 20_000;

  public RenderService(ProjectService projects, ActionRouter router) {
    this.projects = projects;
    this.router = router;
  }

  public RenderResult render(RenderRequest request) {
    LoadedProject project = projects.load(request.project());
    List<RenderResult.RenderedDeploy> deploys = new ArrayList<>();
    for (LoadedProject.ResolvedAction action : deploys(project, request.names())) {
      deploys.add(render(project, action, request.project().env()));
    }
    return new RenderResult(deploys);
  }

  /** The Deploy types whose objects {@code validate} lints. */
  private static final java.util.Set<String> LINTED_TYPES = java.util.Set.of("kubernetes", "helm");

  /**
   * The lint findings of the project's {@code kubernetes} and {@code helm} Deploys (e.g. a pod
   * template without a pull secret for the provider's registry), and what stops one from rendering,
   * as warnings at the action's config: {@code validate} shows them before any deploy.
   */
  List<dev.grove.api.error.Problem> lint(LoadedProject project, Map<String, String> env) {
    List<dev.grove.api.error.Problem> problems = new ArrayList<>();
    for (LoadedProject.ResolvedAction action : deploys(project, List.of())) {
      // helm charts render offline (helm template): Helm loads only for projects that have one
      if (!LINTED_TYPES.contains(action.config().type())) {
        continue;
      }
      String key =
          action.config().ref()
              + "@"
              + action.version()
              + "#"
              + project.project().kubernetes().hashCode()
              + "#"
              + project.project().appNamespace()
              // the config document (its line numbers) and where credentials are looked up
              + "#"
              + System.identityHashCode(action.config().document())
              + "#"
              + java.util.Objects.hash(env.get("HOME"), env.get("DOCKER_CONFIG"));
      List<dev.grove.api.error.Problem> cached = lintCache.get(key);
      if (cached != null) {
        problems.addAll(cached);
        continue;
      }
      int before = problems.size();
      try {
        for (RenderResult.Warning warning : render(project, action, env).warnings()) {
          problems.add(
              dev.grove.orchestrator.config.Problems.at(
                  action.config().document(),
                  "spec",
                  warning.code(),
                  warning.message(),
                  warning.suggestion()));
        }
      } catch (GroveException e) {
        problems.add(
            dev.grove.orchestrator.config.Problems.at(
                action.config().document(),
                "spec",
                e.error().code(),
                action.config().ref() + " cannot be rendered: " + e.error().message(),
                e.error().suggestion()));
      }
      if (lintCache.size() > LINT_CACHE_LIMIT) {
        lintCache.clear();
      }
      lintCache.put(key, List.copyOf(problems.subList(before, problems.size())));
    }
    return problems;
  }

  private RenderResult.RenderedDeploy render(
      LoadedProject project, LoadedProject.ResolvedAction action, Map<String, String> env) {
    ActionRef ref = action.config().ref();
    if (!router.can(ref.kind(), action.config().type(), Capability.RENDER)) {
      return new RenderResult.RenderedDeploy(
          ref.toString(),
          "",
          List.of(),
          action.config().type() + " Deploys apply no Kubernetes objects.");
    }
    ActionContext context = context(project, action, env, templates);
    ActionHandler.Rendered rendered;
    try {
      rendered = router.render(context);
    } catch (ActionException e) {
      throw new GroveException(e.code(), e.getMessage(), e.suggestion());
    }
    List<RenderResult.Warning> warnings = new ArrayList<>();
    for (dev.grove.api.event.EventPayload.Warning warning : rendered.warnings()) {
      warnings.add(
          new RenderResult.Warning(warning.code(), warning.message(), warning.suggestion()));
    }
    return new RenderResult.RenderedDeploy(
        ref.toString(), yaml(rendered.objects()), warnings, null);
  }

  /**
   * A context for the action's handler outside a run (render, logs): static outputs for its
   * Build's, no log, no events, and the client's environment.
   */
  public static ActionContext context(
      LoadedProject project,
      LoadedProject.ResolvedAction action,
      Map<String, String> env,
      TemplateResolver templates) {
    return context(project, action, env, templates, (stream, line) -> {});
  }

  /**
   * As the other, with the handler's lines (the sandbox being started, say) going to {@code log}.
   */
  public static ActionContext context(
      LoadedProject project,
      LoadedProject.ResolvedAction action,
      Map<String, String> env,
      TemplateResolver templates,
      dev.grove.actions.spi.LogSink log) {
    ActionRef ref = action.config().ref();
    Map<String, Object> buildOutputs = Map.of();
    String build = action.config().build();
    if (build != null) {
      LoadedProject.ResolvedAction built =
          project.actions().get(ActionRef.of(ActionKind.BUILD, build));
      if (built != null) {
        buildOutputs = ActionContexts.staticOutputs(project, built);
      }
    }
    return ActionContexts.context(project, action, action.spec(), buildOutputs, templates)
        .env(env)
        .timeout(Duration.ofMinutes(5))
        .log(log)
        .build();
  }

  /** Block style, keys in the order they were built: the same input gives the same bytes. */
  static String yaml(List<Map<String, Object>> objects) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndicatorIndent(0);
    options.setWidth(Integer.MAX_VALUE);
    options.setSplitLines(false);
    Yaml yaml = new Yaml(options);
    StringBuilder out = new StringBuilder();
    for (Map<String, Object> object : objects) {
      out.append("---\n").append(yaml.dump(object));
    }
    return out.toString();
  }

  /**
   * The enabled Deploys the names name (all when none); an unknown name is {@code UNKNOWN_ACTION}
   * with a did-you-mean.
   */
  public static List<LoadedProject.ResolvedAction> deploys(
      LoadedProject project, List<String> names) {
    List<LoadedProject.ResolvedAction> all = new ArrayList<>();
    for (LoadedProject.ResolvedAction action : project.actions().values()) {
      if (action.config().ref().kind() == ActionKind.DEPLOY && !action.config().disabled()) {
        all.add(action);
      }
    }
    return NamedSelection.pick(
        all, a -> a.config().ref().name(), names, "deploy.", "Deploy action", "Deploy actions");
  }
}
