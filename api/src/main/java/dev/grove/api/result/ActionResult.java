package dev.grove.api.result;

/**
 * The last result of a Test or Run, as kept where it ran.
 *
 * @param action the action's reference ({@code test.unit})
 * @param version the action version that ran
 * @param currentVersion the action's version now: a different one means the result is outdated
 * @param exitCode the command's exit code (0: passed)
 * @param startedAt when it started (ISO-8601)
 * @param finishedAt when it ended (ISO-8601)
 * @param log the end of its output
 */
public record ActionResult(
    String action,
    String version,
    String currentVersion,
    int exitCode,
    String startedAt,
    String finishedAt,
    String log) {}
