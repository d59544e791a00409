package dev.grove.api.workflow;

import dev.grove.api.project.ProjectRequest;

/**
 * Runs the project's {@code kind: Workflow} named {@code workflow} ({@code grove workflow NAME}).
 */
public record WorkflowRequest(ProjectRequest project, String workflow) {}
