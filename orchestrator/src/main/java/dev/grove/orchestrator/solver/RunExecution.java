package dev.grove.orchestrator.solver;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.Cancellation;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.api.error.ApiError;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.event.ActionInfo;
import dev.grove.api.event.EventPayload;
import dev.grove.api.run.ActionResult;
import dev.grove.api.run.ActionState;
import dev.grove.api.run.RunResult;
import dev.grove.orchestrator.config.ActionContexts;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.config.RuntimeSpecs;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.files.FileEntry;
import dev.grove.orchestrator.router.ActionRouter;
import dev.grove.orchestrator.template.TemplateResolver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the solver: status first, process only if not ready (or forced), dependencies before
 * dependants, independent actions at once within the limits. A failure aborts what depends on it
 * and lets other branches go on. Scheduling decisions are made under this object's lock; the
 * operations themselves run on the worker pool.
 */
final class RunExecution {
  private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);
  private static final Map<ActionKind, Integer> DEFAULT_TIMEOUTS =
      Map.of(
          ActionKind.BUILD, 600, ActionKind.DEPLOY, 300, ActionKind.RUN, 600, ActionKind.TEST, 600);

  /** What the execution needs from the daemon. */
  record Services(
      RunEvents events,
      Executor workers,
      ScheduledExecutorService timers,
      InFlight inFlight,
      TemplateResolver templates,
      ActionRouter router) {}

  private final String runId;
  private final LoadedProject project;
  private final RunPlan plan;
  private final Map<String, String> env;
  private final Services services;
  private final Limits limits;
  private final Map<ActionRef, Node> nodes = new LinkedHashMap<>();
  private final Map<ActionRef, Map<String, Object>> outputs = new ConcurrentHashMap<>();
  private final EnumMap<ActionKind, Integer> runningByKind = new EnumMap<>(ActionKind.class);
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private int running;
  private boolean cancelled;

  /** One action's place in the run. */
  private static final class Node {
    final ActionRef ref;
    final LoadedProject.ResolvedAction action;
    final ActionInfo info;
    final List<Node> dependants = new ArrayList<>();
    final Cancellation cancellation = new Cancellation();
    int waitingFor;
    boolean dispatched;
    ActionState state = ActionState.PENDING;
    boolean done;
    long started;
    long durationMs;
    ApiError error;

    Node(LoadedProject.ResolvedAction action) {
      this.action = action;
      this.ref = action.config().ref();
      this.info =
          new ActionInfo(ref.toString(), ref.kind().displayName(), ref.name(), action.version());
    }
  }

  RunExecution(
      String runId,
      LoadedProject project,
      RunPlan plan,
      Map<String, String> env,
      Services services,
      Limits limits) {
    this.runId = runId;
    this.limits = limits;
    this.project = project;
    this.plan = plan;
    this.env = env;
    this.services = services;
    for (ActionRef ref : plan.actions()) {
      nodes.put(ref, new Node(project.actions().get(ref)));
    }
    for (Node node : nodes.values()) {
      for (ActionRef dependency : node.action.dependencies()) {
        Node upstream = nodes.get(dependency);
        if (upstream != null && !plan.statusOnly()) {
          upstream.dependants.add(node);
          node.waitingFor++;
        }
      }
    }
  }

  CompletableFuture<RunResult> result() {
    return result;
  }

  String runId() {
    return runId;
  }

  /** Publishes the run's opening events and starts what can start. */
  void start() {
    publish(
        null,
        new EventPayload.RunStarted(
            plan.command(),
            project.project().name(),
            project.project().environment(),
            plan.requested().stream().map(ActionRef::toString).sorted().toList()));
    List<EventPayload.GraphResolved.Action> graph = new ArrayList<>();
    for (Node node : nodes.values()) {
      graph.add(
          new EventPayload.GraphResolved.Action(
              node.ref.toString(),
              node.action.version(),
              node.action.dependencies().stream()
                  .filter(nodes::containsKey)
                  .map(ActionRef::toString)
                  .toList()));
    }
    publish(null, new EventPayload.GraphResolved(graph));
    for (Node node : nodes.values()) {
      publish(node.info, new EventPayload.ActionStatus(ActionState.PENDING));
    }
    schedule();
  }

  /** Cancels the run: running operations are told to stop, pending actions end cancelled. */
  void cancel() {
    List<Node> toStop = new ArrayList<>();
    synchronized (this) {
      if (cancelled || result.isDone()) {
        return;
      }
      cancelled = true;
      for (Node node : nodes.values()) {
        if (node.dispatched && !node.done) {
          toStop.add(node);
        } else if (!node.done) {
          finish(node, ActionState.CANCELLED, cancelledError(), null, null);
        }
      }
    }
    toStop.forEach(node -> node.cancellation.cancel(Cancellation.Reason.CANCELLED));
    schedule();
  }

  private synchronized void schedule() {
    if (result.isDone()) {
      return;
    }
    for (Node node : nodes.values()) {
      if (node.done || node.dispatched || node.waitingFor > 0 || cancelled) {
        continue;
      }
      ActionKind kind = node.ref.kind();
      int ofKind = runningByKind.getOrDefault(kind, 0);
      if (running >= limits.overall() || ofKind >= limits.of(kind)) {
        continue;
      }
      node.dispatched = true;
      running++;
      runningByKind.put(kind, ofKind + 1);
      services.workers().execute(() -> run(node));
    }
    if (running == 0 && nodes.values().stream().allMatch(node -> node.done)) {
      complete();
    }
  }

  /** On a worker thread: runs the action, or joins another run that is running it. */
  private void run(Node node) {
    Outcome outcome;
    String key =
        project.project().root()
            + "|"
            + node.ref
            + "|"
            + node.action.version()
            + "|"
            + (plan.statusOnly() ? "status" : plan.forced().contains(node.ref) ? "force" : "run");
    InFlight.Owner owner = services.inFlight().claim(key, runId);
    if (!owner.runId().equals(runId)) {
      outcome = join(node, owner);
    } else {
      try {
        outcome = execute(node);
      } catch (RuntimeException e) {
        LOG.error("{} failed unexpectedly in run {}", node.ref, runId, e);
        outcome =
            new Outcome(
                ActionState.FAILED,
                Map.of(),
                ApiError.of(
                    ErrorCodes.INTERNAL,
                    node.ref + " failed because of a bug in Grove: " + e,
                    "See the daemon log ($GROVE_HOME/daemon.log) and report it."),
                null,
                null);
      }
      services.inFlight().release(key, owner, outcome);
    }
    synchronized (this) {
      running--;
      runningByKind.merge(node.ref.kind(), -1, Integer::sum);
      if (outcome.outputs() != null && !outcome.outputs().isEmpty()) {
        outputs.put(node.ref, outcome.outputs());
      }
      finish(node, outcome.state(), outcome.error(), outcome.detail(), outcome.reusedFrom());
    }
    schedule();
  }

  private Outcome join(Node node, InFlight.Owner owner) {
    publish(
        node.info,
        new EventPayload.ActionStatus(ActionState.PROCESSING, null, null, owner.runId(), null));
    node.started = System.nanoTime();
    CompletableFuture<Outcome> waiting = owner.outcome().thenApply(o -> o.reused(owner.runId()));
    node.cancellation.onCancel(
        () ->
            waiting.complete(
                new Outcome(ActionState.CANCELLED, Map.of(), cancelledError(), null, null)));
    return waiting.join();
  }

  /** Status first; process when not ready or forced. */
  private Outcome execute(Node node) {
    node.started = System.nanoTime();
    ScheduledFuture<?> timer =
        services
            .timers()
            .schedule(
                () -> node.cancellation.cancel(Cancellation.Reason.TIMEOUT),
                timeout(node).toMillis(),
                TimeUnit.MILLISECONDS);
    try {
      Map<String, Object> spec =
          RuntimeSpecs.resolve(services.templates(), project, node.action, outputs);
      ActionContext context = context(node, spec);
      services
          .router()
          .prepare(
              node.ref.kind(),
              node.action.config().type(),
              project,
              env,
              line -> context.log().line(dev.grove.actions.spi.LogSink.STDOUT, line));
      if (plan.deletes()) {
        transition(node, ActionState.PROCESSING, "deleting");
        if (!services.router().delete(context)) {
          context
              .log()
              .line(
                  dev.grove.actions.spi.LogSink.STDOUT,
                  node.action.config().type() + " Deploys leave nothing to delete.");
        }
        return new Outcome(ActionState.SUCCEEDED, Map.of(), null, "deleted", null);
      }
      transition(node, ActionState.CHECKING, null);
      ActionHandler.Status status = services.router().status(context);
      boolean forced = plan.forced().contains(node.ref);
      if (plan.statusOnly()) {
        return new Outcome(
            status.ready() ? ActionState.READY : ActionState.PENDING,
            status.outputs(),
            null,
            status.detail(),
            null);
      }
      boolean publish = plan.publishes() && plan.requested().contains(node.ref);
      if (status.ready() && !forced && !publish) {
        return new Outcome(ActionState.READY, status.outputs(), null, status.detail(), null);
      }
      Map<String, Object> values = status.outputs();
      if (!status.ready() || forced) {
        transition(node, ActionState.PROCESSING, status.detail());
        values = services.router().process(context).values();
      }
      if (publish) {
        transition(node, ActionState.PROCESSING, "publishing");
        Optional<ActionHandler.Outputs> published =
            services.router().publish(context, Optional.ofNullable(plan.publishTag()));
        if (published.isPresent()) {
          Map<String, Object> merged = new LinkedHashMap<>(values);
          merged.putAll(published.get().values());
          values = merged;
        } else {
          context
              .log()
              .line(
                  dev.grove.actions.spi.LogSink.STDOUT,
                  node.action.config().type() + " Builds have nothing to publish.");
        }
      }
      return new Outcome(ActionState.SUCCEEDED, values, null, null, null);
    } catch (ActionException e) {
      boolean cancelledByUser = node.cancellation.reason() == Cancellation.Reason.CANCELLED;
      ApiError error = new ApiError(e.code(), e.getMessage(), e.suggestion(), null, List.of());
      return new Outcome(
          cancelledByUser ? ActionState.CANCELLED : ActionState.FAILED,
          Map.of(),
          error,
          null,
          null);
    } catch (GroveException e) {
      return new Outcome(ActionState.FAILED, Map.of(), e.error(), null, null);
    } finally {
      timer.cancel(false);
    }
  }

  private ActionContext context(Node node, Map<String, Object> spec) {
    return ActionContexts.context(
            project, node.action, spec, buildOutputs(node), services.templates())
        .env(env)
        .timeout(timeout(node))
        .log((stream, line) -> publish(node.info, new EventPayload.Log(stream, line)))
        .cancellation(node.cancellation)
        .events(payload -> publish(node.info, payload))
        .sources(node.action.sources().stream().map(FileEntry::path).toList())
        .extension(
            dev.grove.actions.spi.RunOptions.class,
            new dev.grove.actions.spi.RunOptions(plan.keepPods()))
        .build();
  }

  /** The outputs of the action's Build, known once the Build ran (or was ready); a Deploy's. */
  private Map<String, Object> buildOutputs(Node node) {
    String build = node.action.config().build();
    Map<String, Object> built =
        build == null ? null : outputs.get(ActionRef.of(ActionKind.BUILD, build));
    return built == null ? Map.of() : built;
  }

  private static Duration timeout(Node node) {
    Object configured = node.action.config().timeout();
    long seconds =
        configured instanceof Number number
            ? number.longValue()
            : DEFAULT_TIMEOUTS.get(node.ref.kind());
    return Duration.ofSeconds(Math.max(1, seconds));
  }

  /**
   * @param detail what the action is doing, or null
   */
  private void transition(Node node, ActionState state, String detail) {
    synchronized (this) {
      node.state = state;
    }
    publish(node.info, EventPayload.ActionStatus.withDetail(state, detail));
  }

  /** Records a final state, publishes it, and aborts dependants on failure. Holds the lock. */
  private void finish(
      Node node, ActionState state, ApiError error, String detail, String reusedFrom) {
    if (node.done) {
      return;
    }
    node.done = true;
    node.state = state;
    node.error = error;
    node.durationMs = node.started == 0 ? 0 : (System.nanoTime() - node.started) / 1_000_000;
    publish(
        node.info,
        new EventPayload.ActionStatus(
            state,
            node.durationMs,
            detail,
            reusedFrom,
            error == null ? null : EventPayload.ActionError.of(error)));
    if (state.isSuccess() || state == ActionState.PENDING) {
      node.dependants.forEach(dependant -> dependant.waitingFor--);
      return;
    }
    Deque<Node> todo = new ArrayDeque<>(node.dependants);
    while (!todo.isEmpty()) {
      Node dependant = todo.pop();
      if (dependant.done || dependant.dispatched) {
        continue;
      }
      ApiError aborted =
          ApiError.of(
              ErrorCodes.ABORTED,
              "Aborted because upstream dependency " + node.ref + " " + state.wireName() + ".",
              "Fix " + node.ref + " first; see its error above.");
      finish(dependant, ActionState.ABORTED, aborted, null, null);
    }
  }

  private void complete() {
    List<ActionResult> actions = new ArrayList<>();
    boolean failed = false;
    for (Node node : nodes.values()) {
      actions.add(
          new ActionResult(
              node.ref.toString(), node.state, node.action.version(), node.durationMs, node.error));
      failed |= !node.state.isSuccess() && node.state != ActionState.PENDING;
    }
    String outcome =
        cancelled ? RunResult.CANCELLED : failed ? RunResult.FAILED : RunResult.SUCCEEDED;
    RunResult runResult = new RunResult(runId, outcome, actions);
    publish(null, EventPayload.RunFinished.of(runResult));
    result.complete(runResult);
  }

  private static ApiError cancelledError() {
    return ApiError.of(ActionCodes.CANCELLED, "The run was cancelled.", "Run it again.");
  }

  private void publish(ActionInfo action, EventPayload payload) {
    services.events().publish(runId, action, payload);
  }
}
