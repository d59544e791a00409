package dev.grove.orchestrator.config;

import dev.grove.api.action.ActionRef;
import dev.grove.api.error.Problem;
import dev.grove.orchestrator.files.FileEntry;
import dev.grove.orchestrator.graph.ActionGraph;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A project resolved for one environment: every action with its spec, sources and version. */
public record LoadedProject(
    ProjectConfig project,
    Map<ActionRef, ResolvedAction> actions,
    ActionGraph graph,
    List<Problem> warnings,
    ProjectCommands commands) {

  /** A project without Workflows or Commands. */
  public LoadedProject(
      ProjectConfig project,
      Map<ActionRef, ResolvedAction> actions,
      ActionGraph graph,
      List<Problem> warnings) {
    this(project, actions, graph, warnings, ProjectCommands.NONE);
  }

  /**
   * The project's actions of {@code kind} named in {@code names}, in that order; an unknown name is
   * {@code UNKNOWN_ACTION} listing the kind's actions (with a did-you-mean).
   */
  public java.util.List<ResolvedAction> pick(
      dev.grove.api.action.ActionKind kind, java.util.List<String> names) {
    return dev.grove.orchestrator.error.NamedSelection.pick(
        actions.values().stream().filter(a -> a.config().ref().kind() == kind).toList(),
        a -> a.config().ref().name(),
        names,
        kind.name().toLowerCase(java.util.Locale.ROOT) + ".",
        kind.displayName() + " action",
        kind.displayName() + " actions");
  }

  /**
   * False when the clone of a remote source an action lives in is gone ({@code grove update-remote}
   * removed it): the project must be loaded again, which clones it anew.
   */
  public boolean clonesPresent() {
    return actions.values().stream()
        .map(action -> action.config().sourceDir())
        .filter(dir -> dir.startsWith(RemoteSources.DIR + "/"))
        .distinct()
        .allMatch(dir -> java.nio.file.Files.isDirectory(project.root().resolve(dir)));
  }

  /**
   * One action, resolved.
   *
   * @param templateContext the context its spec was resolved in; runs resolve the spec again in it
   *     when a dependency's runtime outputs are known
   */
  public record ResolvedAction(
      ActionConfig config,
      Map<String, Object> spec,
      Set<ActionRef> dependencies,
      List<FileEntry> sources,
      String version,
      Map<String, Object> templateContext) {}
}
