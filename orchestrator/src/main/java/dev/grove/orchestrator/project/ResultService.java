package dev.grove.orchestrator.project;

import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.RunResult;
import dev.grove.api.action.ActionKind;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.result.ActionResult;
import dev.grove.api.result.ResultRequest;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.router.ActionRouter;
import dev.grove.orchestrator.template.TemplateResolver;
import java.util.List;
import java.util.Optional;

/**
 * {@code grove get test-result|run-result NAME} (Garden's {@code garden get test-result}): the
 * action's last result where its type keeps it (the cluster for pod Tests and Runs, the project's
 * {@code .grove/results}) and whether it is of the action's version now. Blocking: run it on a
 * worker pool.
 */
public final class ResultService {
  private final ProjectService projects;
  private final ActionRouter router;
  private final TemplateResolver templates = new TemplateResolver();

  public ResultService(ProjectService projects, ActionRouter router) {
    this.projects = projects;
    this.router = router;
  }

  public ActionResult result(ResultRequest request) {
    ActionKind kind =
        switch (request.kind() == null ? "" : request.kind()) {
          case "test" -> ActionKind.TEST;
          case "run" -> ActionKind.RUN;
          default ->
              throw new GroveException(
                  ErrorCodes.BAD_REQUEST,
                  "kind `" + request.kind() + "` has no results",
                  "Ask for kind test or run.");
        };
    if (request.name() == null || request.name().isBlank()) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST, "the request names no action", "Send its name.");
    }
    LoadedProject project = projects.load(request.project());
    LoadedProject.ResolvedAction action = project.pick(kind, List.of(request.name())).get(0);
    String ref = action.config().ref().toString();
    Optional<RunResult> last;
    try {
      last =
          router.lastResult(
              RenderService.context(project, action, request.project().env(), templates));
    } catch (ActionException e) {
      throw new GroveException(e.code(), e.getMessage(), e.suggestion());
    }
    RunResult result =
        last.orElseThrow(
            () ->
                new GroveException(
                    ErrorCodes.NO_RESULT,
                    ref + " has no result yet.",
                    "Run it: `grove " + request.kind() + " " + request.name() + "`."));
    return new ActionResult(
        ref,
        result.version(),
        action.version(),
        result.exitCode(),
        result.startedAt().toString(),
        result.finishedAt().toString(),
        result.log());
  }
}
