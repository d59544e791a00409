package dev.grove.orchestrator.project;

import dev.grove.api.action.ActionSummary;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.project.ProjectFiles;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import dev.grove.orchestrator.config.LoadOptions;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.config.ProjectLoader;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.files.ScanResult;
import dev.grove.orchestrator.template.TemplateResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each project loaded. Every request re-scans the root's file stamps (no reads); when no
 * stamp changed and the request resolves the same way, the last result is answered as is. Otherwise
 * the project is reloaded, re-parsing only changed config files and re-hashing only changed
 * sources.
 */
public final class DefaultProjectService implements ProjectService {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultProjectService.class);

  private final TemplateResolver templates = new TemplateResolver();
  private final RenderService render = new RenderService(this);
  private final Map<Path, Warm> projects = new ConcurrentHashMap<>();

  /** One root's loader and its last result. */
  private static final class Warm {
    final ProjectLoader loader;
    LoadOptions lastOptions;
    ProjectLoader.Snapshot last;

    Warm(ProjectLoader loader) {
      this.loader = loader;
    }
  }

  @Override
  public ProjectSummary validate(ProjectRequest request) {
    LoadedProject project = load(request);
    ProjectSummary summary = summarize(project);
    List<dev.grove.api.error.Problem> lint = render.lint(project, request.env());
    if (lint.isEmpty()) {
      return summary;
    }
    List<dev.grove.api.error.Problem> warnings = new ArrayList<>(summary.warnings());
    warnings.addAll(lint);
    return new ProjectSummary(
        summary.project(), summary.environment(), summary.actions(), warnings);
  }

  @Override
  public ProjectSummary graph(ProjectRequest request) {
    return summarize(load(request));
  }

  @Override
  public int loadedProjects() {
    return projects.size();
  }

  /** The project for the request, reloaded only when a file or the request changed. */
  @Override
  public LoadedProject load(ProjectRequest request) {
    return load(request, null);
  }

  /**
   * As {@link #load(ProjectRequest)}; {@code changed} (paths relative to the root, from a file
   * watcher) are the only files looked at when the project was loaded before: no walk of the tree.
   */
  @Override
  public LoadedProject load(ProjectRequest request, java.util.Set<String> changed) {
    Path root = resolveRoot(request);
    Warm warm = projects.computeIfAbsent(root, r -> new Warm(new ProjectLoader(r, templates)));
    LoadOptions options = new LoadOptions(request.environment(), request.vars(), request.env());
    synchronized (warm) {
      String dotIgnoreFile = warm.loader.dotIgnoreFile();
      ScanResult scan =
          (changed != null && warm.last != null
                  ? warm.loader.rescan(warm.last.scan(), changed, dotIgnoreFile)
                  : java.util.Optional.<ScanResult>empty())
              .orElseGet(() -> warm.loader.scan(dotIgnoreFile));
      if (warm.last != null
          && warm.last.resolvesAlike(warm.lastOptions, options)
          && scan.sameAs(warm.last.scan())) {
        return warm.last.project();
      }
      long started = System.nanoTime();
      String reason =
          warm.last == null
              ? "first load"
              : !warm.last.resolvesAlike(warm.lastOptions, options)
                  ? "request changed"
                  : "files changed";
      ProjectLoader.Snapshot snapshot = warm.loader.load(options, scan, dotIgnoreFile);
      warm.lastOptions = options;
      warm.last = snapshot;
      LOG.info(
          "Loaded {} ({} actions, {}) in {} ms",
          root,
          snapshot.project().actions().size(),
          reason,
          (System.nanoTime() - started) / 1_000_000);
      return snapshot.project();
    }
  }

  @Override
  public java.util.Optional<ScanResult> lastScan(ProjectRequest request) {
    Warm warm = projects.get(resolveRoot(request));
    if (warm == null) {
      return java.util.Optional.empty();
    }
    synchronized (warm) {
      return java.util.Optional.ofNullable(warm.last).map(ProjectLoader.Snapshot::scan);
    }
  }

  static ProjectSummary summarize(LoadedProject project) {
    List<ActionSummary> actions = new ArrayList<>();
    project.actions().values().stream()
        .sorted((a, b) -> a.config().ref().compareTo(b.config().ref()))
        .forEach(
            action ->
                actions.add(
                    new ActionSummary(
                        action.config().ref().toString(),
                        action.config().ref().kind().displayName(),
                        action.config().type(),
                        action.config().ref().name(),
                        action.version(),
                        action.dependencies().stream().map(Object::toString).toList(),
                        action.config().disabled())));
    return new ProjectSummary(
        project.project().name(), project.project().environment(), actions, project.warnings());
  }

  /** The root the request names, or the nearest folder upward from its cwd with a project. */
  public static Path resolveRoot(ProjectRequest request) {
    Path cwd = request.cwd() == null ? Path.of("").toAbsolutePath() : Path.of(request.cwd());
    if (request.root() != null && !request.root().isBlank()) {
      Path root = cwd.resolve(request.root()).toAbsolutePath().normalize();
      if (!Files.isDirectory(root)) {
        throw new GroveException(
            ErrorCodes.PROJECT_NOT_FOUND,
            "The project root " + root + " is not a folder.",
            "Pass --root the folder that holds project.garden.yml.");
      }
      if (ProjectLoader.projectFile(root).isEmpty()) {
        throw new GroveException(
            ErrorCodes.PROJECT_NOT_FOUND,
            "No project.garden.yml in " + root + ".",
            "Pass --root the folder that holds project.garden.yml, or create one with"
                + " `kind: Project`.");
      }
      return root;
    }
    return ProjectFiles.rootAbove(cwd)
        .orElseThrow(
            () ->
                new GroveException(
                    ErrorCodes.PROJECT_NOT_FOUND,
                    "No project.garden.yml in " + cwd + " or any folder above it.",
                    "Run grove inside a Garden project, or pass --root DIR."));
  }
}
