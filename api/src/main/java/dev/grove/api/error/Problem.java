package dev.grove.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One config problem or warning, with a stable machine code, a message that names what is wrong,
 * what would fix it, and where it is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String code, String message, String suggestion, Location location) {}
