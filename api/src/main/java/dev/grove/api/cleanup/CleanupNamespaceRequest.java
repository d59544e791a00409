package dev.grove.api.cleanup;

import dev.grove.api.project.ProjectRequest;

/**
 * {@code grove cleanup namespace}: delete the project's app namespace (and everything in it).
 *
 * @param dryRun say which namespace of which cluster, delete nothing
 */
public record CleanupNamespaceRequest(ProjectRequest project, boolean dryRun) {}
