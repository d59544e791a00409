package dev.grove.api.project;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.grove.api.action.ActionSummary;
import dev.grove.api.error.Problem;
import java.util.List;

/**
 * What {@code validate} and {@code graph} answer: the project, the environment it was resolved for,
 * its actions in a stable order, and the warnings of the load.
 */
public record ProjectSummary(
    String project,
    String environment,
    List<ActionSummary> actions,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Problem> warnings) {

  public ProjectSummary {
    actions = List.copyOf(actions);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }
}
