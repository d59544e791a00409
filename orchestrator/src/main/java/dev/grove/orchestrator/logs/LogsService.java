package dev.grove.orchestrator.logs;

import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.DeployLogs;
import dev.grove.actions.spi.LogReaders;
import dev.grove.actions.spi.LogSource;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.logs.LogsRequest;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.project.ProjectService;
import dev.grove.orchestrator.project.RenderService;
import dev.grove.orchestrator.router.ActionRouter;
import dev.grove.orchestrator.template.TemplateResolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * {@code grove logs}: finds the pods of a project's Deploys through their types' {@link DeployLogs}
 * (a {@code kubernetes} Deploy's pods by their workload's selector, a persistent exec Deploy's
 * process as one pod), then reads their logs once ({@link #read}) or follows them through the
 * shared {@link LogHub} ({@link #follow}). Blocking: call it on a worker pool.
 */
public final class LogsService {
  /** The most a non-following read takes of one container's log. */
  static final int READ_LIMIT_BYTES = 10 << 20;

  private final ProjectService projects;
  private final ActionRouter router;

  /** The reader of each cluster a plan named, by {@link LogSource#cluster()}. */
  private final Map<String, LogReaders> clusters = new java.util.concurrent.ConcurrentHashMap<>();

  private final LogHub hub;
  private final TemplateResolver templates = new TemplateResolver();

  /**
   * @param opener runs the hub's (blocking) opens of log reads
   */
  public LogsService(
      ProjectService projects, ActionRouter router, Executor opener, LogHub.Scheduler scheduler) {
    this.projects = projects;
    this.router = router;
    this.hub =
        new LogHub(
            new LogReaders() {
              @Override
              public List<Stamped> backlog(LogSource source, int lines) {
                return readers(source).backlog(source, lines);
              }

              @Override
              public Reader open(LogSource source, Instant since, Sink sink) {
                return readers(source).open(source, since, sink);
              }

              private LogReaders readers(LogSource source) {
                LogReaders readers = clusters.get(source.cluster());
                if (readers == null) {
                  throw new IllegalStateException("no client for the cluster " + source.cluster());
                }
                return readers;
              }
            },
            opener,
            scheduler);
  }

  public LogHub hub() {
    return hub;
  }

  /**
   * A Deploy whose pods are read and followed.
   *
   * @param cluster the cluster's identity in {@link LogSource}s
   */
  public record Target(String action, String cluster, DeployLogs.Pods pods, String namespace) {}

  /**
   * The Deploys to read and what to tell the user first.
   *
   * @param notes Deploys without pods and why
   */
  public record Plan(List<Target> targets, List<LogItem.Note> notes) {}

  /** Resolves the request's Deploys to their pods' workloads. */
  public Plan plan(LogsRequest request) {
    LoadedProject project = projects.load(request.project());
    List<LoadedProject.ResolvedAction> deploys = RenderService.deploys(project, request.names());
    boolean named = !request.names().isEmpty();
    List<Target> targets = new ArrayList<>();
    List<LogItem.Note> notes = new ArrayList<>();
    List<String> said = new ArrayList<>(); // by the cluster's opening: also in an error
    int undeployed = 0;
    for (LoadedProject.ResolvedAction action : deploys) {
      String ref = action.config().ref().toString();
      String name = action.config().ref().name();
      Optional<DeployLogs> logs = router.logs(action.config().ref().kind(), action.config().type());
      Optional<DeployLogs.Pods> pods = Optional.empty();
      if (logs.isPresent()) {
        try {
          pods =
              logs.get()
                  .pods(
                      RenderService.context(
                          project,
                          action,
                          request.project().env(),
                          templates,
                          // what opening the cluster says (the sandbox being started) is a note
                          (stream, line) -> {
                            notes.add(note(ref, null, line));
                            said.add(line);
                          }));
        } catch (DeployLogs.NotRunning e) {
          if (named) {
            throw new GroveException(
                ErrorCodes.NOT_DEPLOYED,
                e.getMessage() + ".",
                "Start it: `grove deploy " + name + "`.");
          }
          notes.add(note(ref, null, e.getMessage() + " (`grove deploy " + name + "`)."));
          continue;
        } catch (ActionException e) {
          throw new GroveException(e.code(), ref + ": " + e.getMessage(), e.suggestion());
        }
      }
      if (pods.isEmpty()) {
        notes.add(
            note(
                ref,
                null,
                ref
                    + " (type `"
                    + action.config().type()
                    + "`) runs no pods: its output is in the log of `grove deploy "
                    + name
                    + "`."));
        continue;
      }
      DeployLogs.Pods found = pods.get();
      String where = "namespace " + found.namespace() + " (context `" + found.context() + "`)";
      if (found.deployedVersion() == null) {
        if (named) {
          throw new GroveException(
              ErrorCodes.NOT_DEPLOYED,
              saidFirst(said)
                  + ref
                  + " was never deployed to "
                  + where
                  + ": it has no pods to show logs of.",
              "Deploy it first: `grove deploy " + name + "`.");
        }
        undeployed++;
        notes.add(
            note(
                ref,
                null,
                ref + " is not deployed to " + where + " (`grove deploy " + name + "`)."));
        continue;
      }
      if (found.workloads().isEmpty()) {
        notes.add(
            note(ref, null, ref + " deployed no workloads to " + where + ": it has no pods."));
        continue;
      }
      clusters.put(found.cluster(), found.readers());
      targets.add(new Target(ref, found.cluster(), found, found.namespace()));
    }
    if (targets.isEmpty() && undeployed > 0 && !named) {
      throw new GroveException(
          ErrorCodes.NOT_DEPLOYED,
          saidFirst(said)
              + "None of the Deploys of project "
              + project.project().name()
              + " is deployed: there are no pods to show logs of.",
          "Deploy them first: `grove deploy`.");
    }
    return new Plan(targets, notes);
  }

  /**
   * What the pods' containers logged so far, all containers interleaved in time order, after the
   * plan's notes.
   *
   * @param tail the last lines per container; null for all
   */
  public List<LogItem> read(Plan plan, Long sinceSeconds, Integer tail) {
    List<LogItem> notes = new ArrayList<>(plan.notes());
    List<LogItem.Line> lines = new ArrayList<>();
    for (Target target : plan.targets()) {
      List<DeployLogs.Pod> pods;
      try {
        pods = target.pods().list();
      } catch (ActionException e) {
        throw failure(target, e);
      }
      if (pods.isEmpty()) {
        notes.add(
            note(
                target.action(),
                null,
                target.action()
                    + " has no pods right now (its "
                    + String.join(", ", target.pods().workloads())
                    + " run none)."));
      }
      for (DeployLogs.Pod pod : pods) {
        String podName = pod.name();
        for (String container : containers(pod, notes, target.action())) {
          DeployLogs.Log log;
          try {
            log = target.pods().read(podName, container, sinceSeconds, tail, READ_LIMIT_BYTES);
          } catch (DeployLogs.NoLog e) {
            notes.add(note(target.action(), podName, podName + ": " + e.getMessage()));
            continue;
          } catch (ActionException e) {
            throw failure(target, e);
          }
          if (log.cut()) {
            notes.add(
                note(
                    target.action(),
                    podName,
                    podName
                        + " "
                        + container
                        + ": only the first "
                        + (READ_LIMIT_BYTES >> 20)
                        + " MiB of its log are shown; pass --tail or --since for the latest"
                        + " lines."));
          }
          for (LogReaders.Stamped line : log.lines()) {
            lines.add(
                new LogItem.Line(line.time(), target.action(), podName, container, line.text()));
          }
        }
      }
    }
    // stable: a container's lines keep their order when two share a time
    lines.sort(Comparator.comparing(LogItem.Line::time));
    List<LogItem> items = new ArrayList<>(notes);
    items.addAll(lines);
    return items;
  }

  /**
   * Follows the plan's pods: their lines go to {@code queue} as they come, pods that start are
   * picked up and pods that go drop out, until the session is closed.
   */
  public FollowSession follow(Plan plan, LogsRequest request, LogQueue queue) {
    FollowSession session =
        new FollowSession(hub, queue, Instant.now(), request.sinceSeconds(), request.tail());
    try {
      for (Target target : plan.targets()) {
        try {
          session.watch(target);
        } catch (ActionException e) {
          throw failure(target, e);
        }
      }
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return session;
  }

  /** The pod's containers that have a log (started, running or not), init containers first. */
  static List<String> containers(DeployLogs.Pod pod, List<LogItem> notes, String action) {
    List<String> started = new ArrayList<>();
    for (DeployLogs.Container container : pod.containers()) {
      if (container.hasLog()) {
        started.add(container.name());
      } else if (notes != null && container.waiting() != null) {
        notes.add(
            note(
                action,
                pod.name(),
                "container "
                    + container.name()
                    + " of pod "
                    + pod.name()
                    + " has not started: "
                    + container.waiting()));
      }
    }
    return started;
  }

  /** What opening the cluster said (the sandbox started just now), to lead an error with. */
  private static String saidFirst(List<String> said) {
    return said.isEmpty() ? "" : String.join(" ", new java.util.LinkedHashSet<>(said)) + " ";
  }

  private static LogItem.Note note(String action, String pod, String message) {
    return new LogItem.Note(Instant.now(), action, pod, message);
  }

  /** A cluster's failure, told as the action's. */
  static GroveException failure(Target target, ActionException mapped) {
    return new GroveException(
        mapped.code(), target.action() + ": " + mapped.getMessage(), mapped.suggestion());
  }
}
