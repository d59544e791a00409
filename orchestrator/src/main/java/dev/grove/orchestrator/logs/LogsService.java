package dev.grove.orchestrator.logs;

import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.kube.KubeConfigResolver;
import dev.grove.actions.kube.Workloads;
import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.logs.LogsRequest;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.project.ProjectService;
import dev.grove.orchestrator.project.RenderService;
import dev.grove.orchestrator.router.ActionRouter;
import dev.grove.orchestrator.template.TemplateResolver;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Loggable;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * {@code grove logs}: finds the pods of a project's Deploys (through what each deployed, so a
 * {@code kubernetes} Deploy's pods are found by their workload's selector), then reads their logs
 * once ({@link #read}) or follows them through the shared {@link LogHub} ({@link #follow}).
 * Blocking: call it on a worker pool.
 */
public final class LogsService {
  /** The most a non-following read takes of one container's log. */
  static final int READ_LIMIT_BYTES = 10 << 20;

  private final ProjectService projects;
  private final ActionRouter router;
  private final KubeLogReaders readers;
  private final PersistentProcesses processes;
  private final LogHub hub;
  private final TemplateResolver templates = new TemplateResolver();

  /**
   * @param opener runs the hub's (blocking) opens of log reads
   */
  /**
   * @param processes the daemon's persistent exec Deploy processes, whose output is read too
   */
  public LogsService(
      ProjectService projects,
      ActionRouter router,
      PersistentProcesses processes,
      Executor opener,
      LogHub.Scheduler scheduler) {
    this.projects = projects;
    this.router = router;
    this.readers = new KubeLogReaders();
    this.processes = processes;
    ExecLogReaders exec = new ExecLogReaders(processes);
    this.hub =
        new LogHub(
            new LogReaders() {
              @Override
              public List<Stamped> backlog(LogSource source, int lines) {
                return isExec(source)
                    ? exec.backlog(source, lines)
                    : readers.backlog(source, lines);
              }

              @Override
              public Reader open(LogSource source, Instant since, Sink sink) {
                return isExec(source)
                    ? exec.open(source, since, sink)
                    : readers.open(source, since, sink);
              }

              private boolean isExec(LogSource source) {
                return ExecLogReaders.CLUSTER.equals(source.cluster());
              }
            },
            opener,
            scheduler);
    // a redeploy replaced a persistent process: read the new one now, not after the back-off
    processes.onStart(
        key ->
            hub.restarted(
                source ->
                    ExecLogReaders.CLUSTER.equals(source.cluster())
                        && key.equals(source.namespace())));
  }

  public LogHub hub() {
    return hub;
  }

  /**
   * A Deploy whose pods are followed, or a persistent exec Deploy's process (then {@code cluster}
   * is {@link ExecLogReaders#CLUSTER}, {@code namespace} the process's key, no client).
   *
   * @param cluster the cluster's identity in {@link LogSource}s
   */
  public record Target(
      String action,
      String cluster,
      KubernetesClient client,
      KubeConfigResolver.Target kube,
      String namespace,
      List<Workloads.Workload> workloads) {}

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
      String key = PersistentProcesses.key(project.project().root(), ref);
      if (processes.get(key).isPresent()) {
        targets.add(new Target(ref, ExecLogReaders.CLUSTER, null, null, key, List.of()));
        continue;
      }
      if (Boolean.TRUE.equals(action.spec().get("persistent"))) {
        String why = ref + "'s persistent process is not running in this daemon";
        if (named) {
          throw new GroveException(
              ErrorCodes.NOT_DEPLOYED, why + ".", "Start it: `grove deploy " + name + "`.");
        }
        notes.add(note(ref, null, why + " (`grove deploy " + name + "`)."));
        continue;
      }
      Optional<Workloads> pods = router.logs(action.config().ref().kind(), action.config().type());
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
      Workloads.Found found;
      try {
        found =
            pods.get()
                .workloads(
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
      } catch (ActionException e) {
        throw new GroveException(e.code(), ref + ": " + e.getMessage(), e.suggestion());
      }
      KubeConfigResolver.Target kube = found.cluster().target();
      String where = "namespace " + found.namespace() + " (context `" + kube.context() + "`)";
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
      String cluster = kube.kubeconfig() + "#" + kube.context();
      readers.register(cluster, found.cluster().client());
      targets.add(
          new Target(
              ref, cluster, found.cluster().client(), kube, found.namespace(), found.workloads()));
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
      if (isExec(target)) {
        lines.addAll(execLines(target, sinceSeconds, tail));
        continue;
      }
      Map<String, Pod> pods = pods(target);
      if (pods.isEmpty()) {
        notes.add(
            note(
                target.action(),
                null,
                target.action()
                    + " has no pods right now (its "
                    + String.join(", ", target.workloads().stream().map(this::describe).toList())
                    + " run none)."));
      }
      for (Pod pod : pods.values()) {
        String podName = pod.getMetadata().getName();
        for (String container : containers(pod, notes, target.action())) {
          String text;
          try {
            TimeTailPrettyLoggable limited =
                stamped(target, podName, container).limitBytes(READ_LIMIT_BYTES);
            TailPrettyLoggable timed =
                sinceSeconds == null
                    ? limited
                    : limited.sinceSeconds((int) Math.min(Integer.MAX_VALUE, sinceSeconds));
            Loggable loggable = tail == null ? timed : timed.tailingLines(tail);
            text = loggable.getLog();
          } catch (KubernetesClientException e) {
            if (e.getCode() == 400 || e.getCode() == 404) {
              notes.add(note(target.action(), podName, podName + ": " + reason(e)));
              continue;
            }
            throw failure(target, "read the log of pod " + podName, e);
          }
          if (text.length() >= READ_LIMIT_BYTES / 4
              && text.getBytes(StandardCharsets.UTF_8).length >= READ_LIMIT_BYTES) {
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
          Instant now = Instant.now();
          text.lines()
              .forEach(
                  line ->
                      LogLines.parse(
                          line,
                          now,
                          (time, body) ->
                              lines.add(
                                  new LogItem.Line(
                                      time, target.action(), podName, container, body))));
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
        if (isExec(target)) {
          session.follow(
              target,
              name(target),
              new LogSource(
                  ExecLogReaders.CLUSTER,
                  target.namespace(),
                  name(target),
                  ExecLogReaders.CONTAINER));
          continue;
        }
        try {
          session.watch(target);
        } catch (KubernetesClientException e) {
          throw failure(target, "watch the pods of " + target.action(), e);
        }
      }
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return session;
  }

  private static boolean isExec(Target target) {
    return ExecLogReaders.CLUSTER.equals(target.cluster());
  }

  /** An exec Deploy's "pod": the action's name. */
  private static String name(Target target) {
    return target.action().substring(target.action().indexOf('.') + 1);
  }

  private List<LogItem.Line> execLines(Target target, Long sinceSeconds, Integer tail) {
    List<PersistentProcesses.Line> kept = new ArrayList<>();
    Instant cutoff = sinceSeconds == null ? null : Instant.now().minusSeconds(sinceSeconds);
    for (PersistentProcesses.Line line :
        processes
            .get(target.namespace())
            .map(PersistentProcesses.Running::lines)
            .orElse(List.of())) {
      if (cutoff == null || !line.time().isBefore(cutoff)) {
        kept.add(line);
      }
    }
    if (tail != null && kept.size() > tail) {
      kept = kept.subList(kept.size() - tail, kept.size());
    }
    return kept.stream()
        .map(
            line ->
                new LogItem.Line(
                    line.time(),
                    target.action(),
                    name(target),
                    ExecLogReaders.CONTAINER,
                    line.text()))
        .toList();
  }

  private io.fabric8.kubernetes.client.dsl.BytesLimitTerminateTimeTailPrettyLoggable stamped(
      Target target, String pod, String container) {
    return target
        .client()
        .pods()
        .inNamespace(target.namespace())
        .withName(pod)
        .inContainer(container)
        .usingTimestamps();
  }

  /** The pods every workload selects, by name. */
  private Map<String, Pod> pods(Target target) {
    Map<String, Pod> pods = new TreeMap<>();
    for (Workloads.Workload workload : target.workloads()) {
      try {
        for (Pod pod :
            target
                .client()
                .pods()
                .inNamespace(target.namespace())
                .withLabelSelector(workload.selector())
                .list()
                .getItems()) {
          pods.put(pod.getMetadata().getName(), pod);
        }
      } catch (KubernetesClientException e) {
        throw failure(target, "list the pods of " + describe(workload), e);
      }
    }
    return pods;
  }

  private String describe(Workloads.Workload workload) {
    return workload.kind() + "/" + workload.name();
  }

  /** The pod's containers that have a log (started, running or not), init containers first. */
  static List<String> containers(Pod pod, List<LogItem> notes, String action) {
    List<String> started = new ArrayList<>();
    if (pod.getStatus() == null) {
      return started;
    }
    for (ContainerStatus status :
        Stream.concat(
                pod.getStatus().getInitContainerStatuses().stream(),
                pod.getStatus().getContainerStatuses().stream())
            .toList()) {
      if (hasLog(status)) {
        started.add(status.getName());
      } else if (notes != null
          && status.getState() != null
          && status.getState().getWaiting() != null) {
        notes.add(
            note(
                action,
                pod.getMetadata().getName(),
                "container "
                    + status.getName()
                    + " of pod "
                    + pod.getMetadata().getName()
                    + " has not started: "
                    + status.getState().getWaiting().getReason()));
      }
    }
    return started;
  }

  static boolean hasLog(ContainerStatus status) {
    return (status.getState() != null
            && (status.getState().getRunning() != null
                || status.getState().getTerminated() != null))
        || (status.getLastState() != null && status.getLastState().getTerminated() != null);
  }

  /** What opening the cluster said (the sandbox started just now), to lead an error with. */
  private static String saidFirst(List<String> said) {
    return said.isEmpty() ? "" : String.join(" ", new java.util.LinkedHashSet<>(said)) + " ";
  }

  private static LogItem.Note note(String action, String pod, String message) {
    return new LogItem.Note(Instant.now(), action, pod, message);
  }

  private static String reason(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : e.getMessage();
  }

  static GroveException failure(Target target, String what, KubernetesClientException e) {
    ActionException mapped = KubeClients.failure(target.kube(), what, e);
    return new GroveException(
        mapped.code(), target.action() + ": " + mapped.getMessage(), mapped.suggestion());
  }
}
