package dev.grove.orchestrator.http;

import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;

/**
 * What the HTTP layer needs from the project engine. It mirrors {@code daemon.ProjectService} so
 * that {@code http} does not depend on {@code daemon} (the composition root there depends on {@code
 * http}); the composition root adapts one to the other. Methods block.
 */
public interface ProjectBackend {

  ProjectSummary validate(ProjectRequest request);

  ProjectSummary graph(ProjectRequest request);

  int loadedProjects();
}
