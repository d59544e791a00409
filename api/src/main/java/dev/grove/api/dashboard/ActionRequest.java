package dev.grove.api.dashboard;

import dev.grove.api.project.ProjectRequest;

/**
 * The dashboard asks for one action's resolved spec.
 *
 * @param ref the action, such as {@code deploy.web}
 */
public record ActionRequest(ProjectRequest project, String ref) {}
