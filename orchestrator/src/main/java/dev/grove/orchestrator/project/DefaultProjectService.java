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
import dev.grove.orchestrator.router.ActionRouter;
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
 *
 * <p>Warm projects are not kept for ever: one unused for {@link WarmPolicy#idle} is dropped, and
 * while their estimated size is over {@link WarmPolicy#budgetBytes} the least recently used go
 * (never the one just used). A dropped project is loaded again, from scratch, when asked for.
 */
public final class DefaultProjectService implements ProjectService {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultProjectService.class);

  private final TemplateResolver templates = new TemplateResolver();
  private final ActionRouter router;
  private final RenderService render;
  private final Map<Path, Warm> projects = new ConcurrentHashMap<>();
  private final WarmPolicy policy;

  /**
   * How long and how much the daemon keeps loaded.
   *
   * @param budgetBytes the estimated size of all warm projects together
   * @param idle how long a project stays warm without a request
   * @param nanoClock {@link System#nanoTime} but in tests
   */
  public record WarmPolicy(
      long budgetBytes, java.time.Duration idle, java.util.function.LongSupplier nanoClock) {
    /**
     * 30 minutes idle; a budget of a quarter of the heap, at most 128 MiB (~15 projects of 1,000
     * actions).
     */
    public static WarmPolicy defaults() {
      return new WarmPolicy(
          Math.min(128L << 20, Runtime.getRuntime().maxMemory() / 4),
          java.time.Duration.ofMinutes(30),
          System::nanoTime);
    }
  }

  /** One root's loader and its last result. */
  private static final class Warm {
    final ProjectLoader loader;
    LoadOptions lastOptions;
    ProjectLoader.Snapshot last;
    volatile long lastUsed;
    volatile long weight;

    Warm(ProjectLoader loader, long now) {
      this.loader = loader;
      this.lastUsed = now;
    }
  }

  /**
   * @param router the action types projects are loaded with, and where their renders go
   */
  public DefaultProjectService(ActionRouter router) {
    this(router, WarmPolicy.defaults());
  }

  public DefaultProjectService(ActionRouter router, WarmPolicy policy) {
    this.router = java.util.Objects.requireNonNull(router, "router");
    this.policy = java.util.Objects.requireNonNull(policy, "policy");
    this.render = new RenderService(this, router);
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
    Warm warm =
        projects.computeIfAbsent(
            root,
            r ->
                new Warm(
                    new ProjectLoader(r, templates, router.types()),
                    policy.nanoClock().getAsLong()));
    warm.lastUsed = policy.nanoClock().getAsLong();
    try {
      return load(root, warm, request, changed);
    } finally {
      warm.lastUsed = policy.nanoClock().getAsLong();
      keepWithinBudget(warm);
    }
  }

  private LoadedProject load(
      Path root, Warm warm, ProjectRequest request, java.util.Set<String> changed) {
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
          && scan.sameAs(warm.last.scan())
          && warm.last.project().clonesPresent()) {
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
      warm.weight = estimatedBytes(snapshot);
      LOG.info(
          "Loaded {} ({} actions, {}) in {} ms",
          root,
          snapshot.project().actions().size(),
          reason,
          (System.nanoTime() - started) / 1_000_000);
      return snapshot.project();
    }
  }

  /** Drops the projects unused for longer than the policy's idle time; how many went. */
  @Override
  public int evictIdle() {
    long now = policy.nanoClock().getAsLong();
    int dropped = 0;
    for (Map.Entry<Path, Warm> entry : projects.entrySet()) {
      if (now - entry.getValue().lastUsed > policy.idle().toNanos()
          && projects.remove(entry.getKey(), entry.getValue())) {
        LOG.info("Dropped {} from memory: not used for {}", entry.getKey(), policy.idle());
        dropped++;
      }
    }
    return dropped;
  }

  /** The estimated size of every warm project together. */
  long estimatedBytes() {
    return projects.values().stream().mapToLong(warm -> warm.weight).sum();
  }

  private synchronized void keepWithinBudget(Warm justUsed) {
    long total = estimatedBytes();
    if (total <= policy.budgetBytes()) {
      return;
    }
    List<Map.Entry<Path, Warm>> byAge = new ArrayList<>(projects.entrySet());
    byAge.sort(java.util.Comparator.comparingLong(entry -> entry.getValue().lastUsed));
    for (Map.Entry<Path, Warm> entry : byAge) {
      if (total <= policy.budgetBytes()) {
        return;
      }
      Warm warm = entry.getValue();
      if (warm != justUsed && projects.remove(entry.getKey(), warm)) {
        total -= warm.weight;
        LOG.info(
            "Dropped {} from memory (least recently used; warm projects over {} MiB)",
            entry.getKey(),
            policy.budgetBytes() >> 20);
      }
    }
  }

  /**
   * What a loaded project roughly holds on the heap: its parsed config (a YAML tree and its source
   * map take about ten times the text), each file's stamp and hash, and each resolved action.
   * Calibrated on bench/GenerateProject's 1,000 actions (280 KB of config, 1,672 files): ~8 MiB
   * live heap each (BENCHMARKS.md, memory).
   */
  static long estimatedBytes(ProjectLoader.Snapshot snapshot) {
    long configBytes = 0;
    for (dev.grove.orchestrator.files.FileEntry entry : snapshot.scan().entries()) {
      String name = entry.path().substring(entry.path().lastIndexOf('/') + 1);
      if (ProjectLoader.isConfigFile(name)) {
        configBytes += entry.size();
      }
    }
    return 64L * 1024
        + 12 * configBytes
        + 300L * snapshot.scan().size()
        + 4L * 1024 * snapshot.project().actions().size();
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
