package dev.grove.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of every error response: {@code {code, message, suggestion, location?, problems?}}.
 * {@code problems} holds each problem when one load found several.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(
    String code, String message, String suggestion, Location location, List<Problem> problems) {

  public ApiError {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  public static ApiError of(String code, String message, String suggestion) {
    return new ApiError(code, message, suggestion, null, List.of());
  }
}
