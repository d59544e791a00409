package dev.grove.orchestrator.project;

import dev.grove.actions.run.LocalResults;
import dev.grove.api.action.ActionKind;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.result.ActionResult;
import dev.grove.api.result.ResultRequest;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.GroveException;
import java.util.List;
import java.util.Locale;

/**
 * {@code grove get test-result|run-result NAME} (Garden's {@code garden get test-result}): the
 * action's last result where it was kept ({@code .grove/results} of the project) and whether it is
 * of the action's version now. Blocking: run it on a worker pool.
 */
public final class ResultService {
  private final ProjectService projects;

  public ResultService(ProjectService projects) {
    this.projects = projects;
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
    LocalResults.Result result =
        LocalResults.read(
                LocalResults.file(
                    project.project().root(),
                    kind.name().toLowerCase(Locale.ROOT),
                    action.config().ref().name()))
            .orElseThrow(
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
