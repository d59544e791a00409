package dev.grove.api.workflow;

import dev.grove.api.project.ProjectRequest;
import java.util.List;

/**
 * Runs the project's custom command ({@code kind: Command}) {@code name} with the words that
 * followed it on the command line ({@code grove NAME ARGS...}, {@code grove run-command NAME
 * ARGS...}).
 */
public record CommandRequest(ProjectRequest project, String name, List<String> args) {
  public CommandRequest {
    args = args == null ? List.of() : List.copyOf(args);
  }
}
