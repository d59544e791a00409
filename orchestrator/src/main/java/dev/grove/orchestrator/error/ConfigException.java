package dev.grove.orchestrator.error;

import dev.grove.api.error.ApiError;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.error.Problem;
import java.util.List;

/** One or more config problems found in one load, reported together. */
public class ConfigException extends GroveException {
  private static final long serialVersionUID = 1L;

  public ConfigException(List<Problem> problems) {
    this(problems, List.of());
  }

  /** The errors of a load, with the warnings it found on the way. */
  public ConfigException(List<Problem> problems, List<Problem> warnings) {
    super(toError(problems, warnings));
  }

  public ConfigException(Problem problem) {
    this(List.of(problem));
  }

  public List<Problem> problems() {
    return error().problems();
  }

  private static ApiError toError(List<Problem> problems, List<Problem> warnings) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    Problem first = problems.get(0);
    String message =
        problems.size() == 1
            ? first.message()
            : problems.size() + " problems in the project configuration";
    return new ApiError(
        ErrorCodes.CONFIG_INVALID,
        message,
        problems.size() == 1 ? first.suggestion() : "Fix each problem listed, then run again.",
        problems.size() == 1 ? first.location() : null,
        problems,
        warnings);
  }
}
