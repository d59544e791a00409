package dev.grove.orchestrator.solver;

import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.run.RunRequest;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.GroveException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which actions a run covers: the requested ones, what they need (unless skipped) and, on request,
 * what depends on them; which are forced; whether it only checks status.
 *
 * @param actions every action of the run, dependencies before dependants
 * @param keepPods the pods of in-cluster Tests and Runs stay after they ran ({@code --keep-pod})
 */
public record RunPlan(
    String command,
    List<ActionRef> actions,
    Set<ActionRef> requested,
    Set<ActionRef> forced,
    boolean statusOnly,
    String publishTag,
    boolean keepPods) {

  public static final List<String> COMMANDS =
      List.of("build", "deploy", "test", "run", "status", "publish", "delete");

  /** Whether the run deletes what the requested Deploys deployed (and processes nothing). */
  public boolean deletes() {
    return command.equals("delete");
  }

  /** Whether the requested actions are published after they are built. */
  public boolean publishes() {
    return command.equals("publish");
  }

  /** The plan for a request; a bad command or unknown name is a BAD_REQUEST naming it. */
  public static RunPlan of(LoadedProject project, RunRequest request) {
    String command = request.command();
    if (!COMMANDS.contains(command)) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST,
          "Unknown run command `" + command + "`.",
          "Use one of: " + String.join(", ", COMMANDS) + ".");
    }
    boolean statusOnly = command.equals("status");
    ActionKind kind =
        switch (command) {
          case "build", "publish" -> ActionKind.BUILD;
          case "test" -> ActionKind.TEST;
          case "run" -> ActionKind.RUN;
          default -> ActionKind.DEPLOY;
        };
    Set<ActionRef> requested = new LinkedHashSet<>();
    if (request.names().isEmpty()) {
      for (LoadedProject.ResolvedAction action : project.actions().values()) {
        ActionRef ref = action.config().ref();
        boolean wanted =
            statusOnly
                ? ref.kind() == ActionKind.BUILD || ref.kind() == ActionKind.DEPLOY
                : ref.kind() == kind;
        if (wanted && !action.config().disabled()) {
          requested.add(ref);
        }
      }
    } else {
      for (LoadedProject.ResolvedAction action : project.pick(kind, request.names())) {
        ActionRef ref = action.config().ref();
        if (action.config().disabled()) {
          throw new GroveException(
              ErrorCodes.ACTION_DISABLED,
              ref + " is disabled in environment " + project.project().environment() + ".",
              "Enable it (`disabled`, `environments`) or leave it out of the command.");
        }
        requested.add(ref);
      }
    }

    Set<ActionRef> roots =
        request.withDependants()
            ? project
                .graph()
                .withDependants(
                    requested, dependant -> !project.actions().get(dependant).config().disabled())
            : requested;
    // delete touches only what it names: nothing it depends on is built or deployed for it. A
    // disabled dependency is skipped (its edge stays in the graph, as in Garden); a disabled
    // Build still builds for what needs it.
    Set<ActionRef> included =
        command.equals("delete")
            ? roots
            : project
                .graph()
                .withDependencies(
                    roots,
                    dependency ->
                        dependency.kind() == ActionKind.BUILD
                            || !request.skipDependencies()
                                && !project.actions().get(dependency).config().disabled());
    List<ActionRef> ordered =
        project.graph().topologicalOrder().stream().filter(included::contains).toList();
    Set<ActionRef> forced = request.force() ? Set.copyOf(requested) : Set.of();
    return new RunPlan(
        command,
        ordered,
        Set.copyOf(requested),
        forced,
        statusOnly,
        request.publishTag(),
        request.keepPods());
  }
}
