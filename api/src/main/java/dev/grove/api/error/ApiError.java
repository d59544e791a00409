package dev.grove.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of every error response: {@code {code, message, suggestion, location?, problems?,
 * warnings?}}. {@code problems} holds each problem when one load found several; {@code warnings}
 * the warnings of that load, which would otherwise be lost with the errors.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(
    String code,
    String message,
    String suggestion,
    Location location,
    List<Problem> problems,
    List<Problem> warnings) {

  public ApiError {
    problems = problems == null ? List.of() : List.copyOf(problems);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  public ApiError(
      String code, String message, String suggestion, Location location, List<Problem> problems) {
    this(code, message, suggestion, location, problems, List.of());
  }

  public static ApiError of(String code, String message, String suggestion) {
    return new ApiError(code, message, suggestion, null, List.of());
  }
}
