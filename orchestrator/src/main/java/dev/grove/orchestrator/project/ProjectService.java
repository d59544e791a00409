package dev.grove.orchestrator.project;

import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import dev.grove.orchestrator.config.LoadedProject;

/**
 * Loads projects and keeps them warm. Methods block (file I/O, hashing): callers run them on a
 * worker pool, never on an event loop. Failures are {@link
 * dev.grove.orchestrator.error.GroveException}s.
 */
public interface ProjectService {

  /** Loads (or reuses, when no file changed) the project and checks it completely. */
  ProjectSummary validate(ProjectRequest request);

  /** The action graph with versions and dependencies; the same shape as {@link #validate}. */
  ProjectSummary graph(ProjectRequest request);

  /** The loaded project itself, for runs (reloaded only when something changed). */
  LoadedProject load(ProjectRequest request);

  /**
   * As {@link #load(ProjectRequest)}, told which files changed since the last load (a watcher's
   * paths, relative to the root), so that only those need looking at; null: look at every file.
   */
  default LoadedProject load(ProjectRequest request, java.util.Set<String> changed) {
    return load(request);
  }

  /**
   * The files the last load of the request's project saw (ignore rules applied), if it was loaded.
   */
  default java.util.Optional<dev.grove.orchestrator.files.ScanResult> lastScan(
      ProjectRequest request) {
    return java.util.Optional.empty();
  }

  /** How many projects are loaded and kept warm. */
  int loadedProjects();

  /** Drops the warm projects nobody asked for in a while; how many went. */
  default int evictIdle() {
    return 0;
  }
}
