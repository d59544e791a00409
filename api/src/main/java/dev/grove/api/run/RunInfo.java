package dev.grove.api.run;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A run as {@code GET /api/v1/runs} lists it; {@code result} once it finished.
 *
 * @param state {@code running} or {@code finished}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunInfo(
    String runId,
    String project,
    String command,
    String state,
    long startedAt,
    Long finishedAt,
    RunResult result) {}
