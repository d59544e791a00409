package dev.grove.orchestrator.daemon;

import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import dev.grove.orchestrator.error.GroveException;

/** Builds the daemon's {@link ProjectService}. */
public final class ProjectServices {
  private ProjectServices() {}

  /** A placeholder until the config engine is wired in: every project call says so. */
  public static ProjectService create() {
    return new ProjectService() {
      @Override
      public ProjectSummary validate(ProjectRequest request) {
        throw notImplemented();
      }

      @Override
      public ProjectSummary graph(ProjectRequest request) {
        throw notImplemented();
      }

      @Override
      public int loadedProjects() {
        return 0;
      }
    };
  }

  private static GroveException notImplemented() {
    return new GroveException(
        "NOT_IMPLEMENTED",
        "this daemon has no config engine yet",
        "Use a Grove build that includes the config engine.");
  }
}
