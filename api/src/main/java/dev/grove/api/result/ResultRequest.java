package dev.grove.api.result;

import dev.grove.api.project.ProjectRequest;

/**
 * {@code grove get test-result|run-result NAME}: the last result of a Test or Run.
 *
 * @param kind {@code test} or {@code run}
 * @param name the action's name
 */
public record ResultRequest(ProjectRequest project, String kind, String name) {}
