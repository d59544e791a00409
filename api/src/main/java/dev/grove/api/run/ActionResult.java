package dev.grove.api.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.grove.api.error.ApiError;

/** How one action ended in a run. {@code error} only for failed, aborted or cancelled ones. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionResult(
    String ref, ActionState state, String version, long durationMs, ApiError error) {}
