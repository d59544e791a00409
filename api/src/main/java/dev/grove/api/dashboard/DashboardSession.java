package dev.grove.api.dashboard;

import dev.grove.api.project.ProjectRequest;

/**
 * What the dashboard page learns of its session.
 *
 * @param csrf to send in {@code X-Grove-CSRF} with every request that changes something
 * @param project the project the page shows, to send with its requests; its {@code env} is left out
 *     (the daemon adds the CLI's)
 */
public record DashboardSession(String csrf, ProjectRequest project) {}
