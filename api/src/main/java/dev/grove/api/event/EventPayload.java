package dev.grove.api.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import dev.grove.api.error.ApiError;
import dev.grove.api.run.ActionResult;
import dev.grove.api.run.ActionState;
import dev.grove.api.run.RunResult;
import dev.grove.api.workflow.WorkflowResult;
import java.util.List;

/**
 * The payload of an event, one record per {@link EventTypes event type}. A record's components are
 * its JSON fields in wire order; a component marked {@code NON_NULL} is left out when null, any
 * other is written, null included. Collections are copied on the way in.
 */
public sealed interface EventPayload {

  /** The event's {@code type} on the wire, one of {@link EventTypes}. */
  String type();

  /** The record of an event type; null for a type this build does not know (a newer daemon's). */
  static Class<? extends EventPayload> recordOf(String type) {
    return switch (type) {
      case EventTypes.RUN_STARTED -> RunStarted.class;
      case EventTypes.GRAPH_RESOLVED -> GraphResolved.class;
      case EventTypes.ACTION_STATUS -> ActionStatus.class;
      case EventTypes.LOG -> Log.class;
      case EventTypes.IMAGE_PUSHED -> ImagePushed.class;
      case EventTypes.ROLLOUT_PROGRESS -> RolloutProgress.class;
      case EventTypes.DEPLOY_STATUS -> DeployStatus.class;
      case EventTypes.WARNING -> Warning.class;
      case EventTypes.RUN_FINISHED -> RunFinished.class;
      case EventTypes.GAP -> Gap.class;
      case EventTypes.FILE_CHANGED -> FileChanged.class;
      case EventTypes.WATCH_TRIGGERED -> WatchTriggered.class;
      case EventTypes.WATCH_ERROR -> WatchError.class;
      case EventTypes.WATCH_STOPPED -> WatchStopped.class;
      case EventTypes.WORKFLOW_RUNNING -> WorkflowRunning.class;
      case EventTypes.WORKFLOW_STEP_PROCESSING -> WorkflowStepProcessing.class;
      case EventTypes.WORKFLOW_STEP_SKIPPED -> WorkflowStepSkipped.class;
      case EventTypes.WORKFLOW_STEP_COMPLETE -> WorkflowStepComplete.class;
      case EventTypes.WORKFLOW_STEP_ERROR -> WorkflowStepError.class;
      case EventTypes.WORKFLOW_COMPLETE -> WorkflowComplete.class;
      case EventTypes.WORKFLOW_ERROR -> WorkflowError.class;
      default -> null;
    };
  }

  /** A run starts: the command, the project and the refs it was asked for (sorted). */
  record RunStarted(String command, String project, String environment, List<String> actions)
      implements EventPayload {
    public RunStarted {
      actions = List.copyOf(actions);
    }

    @Override
    public String type() {
      return EventTypes.RUN_STARTED;
    }
  }

  /** The actions of the run, dependencies before dependants. */
  record GraphResolved(List<Action> actions) implements EventPayload {
    /** One action of the graph; {@code dependencies} only those in the run. */
    public record Action(String ref, String version, List<String> dependencies) {
      public Action {
        dependencies = List.copyOf(dependencies);
      }
    }

    public GraphResolved {
      actions = List.copyOf(actions);
    }

    @Override
    public String type() {
      return EventTypes.GRAPH_RESOLVED;
    }
  }

  /**
   * An action's state changed. {@code durationMs} is there once it ended; {@code detail} says why a
   * checked action is not ready (or what it does: {@code deleting}); {@code reusedFrom} names the
   * run whose execution it joined.
   */
  record ActionStatus(
      ActionState state,
      @JsonInclude(Include.NON_NULL) Long durationMs,
      @JsonInclude(Include.NON_NULL) String detail,
      @JsonInclude(Include.NON_NULL) String reusedFrom,
      @JsonInclude(Include.NON_NULL) ActionError error)
      implements EventPayload {

    /** Only the state. */
    public ActionStatus(ActionState state) {
      this(state, null, null, null, null);
    }

    /** The state and what it is about (null: nothing). */
    public static ActionStatus withDetail(ActionState state, String detail) {
      return new ActionStatus(state, null, detail, null, null);
    }

    @Override
    public String type() {
      return EventTypes.ACTION_STATUS;
    }
  }

  /** Why an action failed, was aborted or cancelled: an {@link ApiError}'s first three fields. */
  record ActionError(
      String code, String message, @JsonInclude(Include.NON_NULL) String suggestion) {
    public static ActionError of(ApiError error) {
      return new ActionError(error.code(), error.message(), error.suggestion());
    }
  }

  /** One line of an action's output, {@code stream} {@code stdout} or {@code stderr}. */
  record Log(String stream, String line) implements EventPayload {
    @Override
    public String type() {
      return EventTypes.LOG;
    }
  }

  /**
   * A container Build pushed its image. The counts include the image config blob; bytes are as
   * stored (compressed), 0 when the registry had everything.
   */
  record ImagePushed(
      String image, String digest, long bytesUploaded, int layersUploaded, int layersReused)
      implements EventPayload {
    @Override
    public String type() {
      return EventTypes.IMAGE_PUSHED;
    }
  }

  /** A Deploy's workload while its rollout is waited for; {@code waiting}: pods and why. */
  record RolloutProgress(
      String kind,
      String name,
      int desired,
      int updated,
      int ready,
      boolean done,
      List<String> waiting)
      implements EventPayload {
    public RolloutProgress {
      waiting = List.copyOf(waiting);
    }

    @Override
    public String type() {
      return EventTypes.ROLLOUT_PROGRESS;
    }
  }

  /**
   * A Kubernetes Deploy's status check: its state and each object's ({@code missing}, {@code
   * outdated}, {@code deploying}, {@code unhealthy}, {@code ready}).
   */
  record DeployStatus(String state, List<DeployedObject> objects) implements EventPayload {
    /** One object of the Deploy's inventory; {@code namespace} null for cluster-scoped ones. */
    public record DeployedObject(String kind, String name, String namespace, String state) {}

    public DeployStatus {
      objects = List.copyOf(objects);
    }

    @Override
    public String type() {
      return EventTypes.DEPLOY_STATUS;
    }
  }

  /** A lint finding of the action, e.g. {@code GROVE_PULL_SECRET}. */
  record Warning(String code, String message, String suggestion) implements EventPayload {
    @Override
    public String type() {
      return EventTypes.WARNING;
    }
  }

  /** The run ended: its {@link RunResult}. */
  record RunFinished(String runId, String result, List<ActionResult> actions)
      implements EventPayload {
    public RunFinished {
      actions = List.copyOf(actions);
    }

    public static RunFinished of(RunResult result) {
      return new RunFinished(result.runId(), result.result(), result.actions());
    }

    public RunResult runResult() {
      return new RunResult(runId, result, actions);
    }

    @Override
    public String type() {
      return EventTypes.RUN_FINISHED;
    }
  }

  /** A slow client was sent no events from {@code fromSeq} to {@code toSeq}. */
  record Gap(long missed, long fromSeq, long toSeq) implements EventPayload {
    @Override
    public String type() {
      return EventTypes.GAP;
    }
  }

  /**
   * A watch saw saved files: the first of them (relative to the root; ignored files left out) and
   * how many there were.
   */
  record FileChanged(List<String> paths, int count) implements EventPayload {
    public FileChanged {
      paths = List.copyOf(paths);
    }

    @Override
    public String type() {
      return EventTypes.FILE_CHANGED;
    }
  }

  /** A watch starts a run: its id, what runs, and whose version changed. */
  record WatchTriggered(String runId, List<String> actions, List<String> changed)
      implements EventPayload {
    public WatchTriggered {
      actions = List.copyOf(actions);
      changed = List.copyOf(changed);
    }

    @Override
    public String type() {
      return EventTypes.WATCH_TRIGGERED;
    }
  }

  /** A watch could not load the project (as validate says) or handle a change; it goes on. */
  record WatchError(ApiError error) implements EventPayload {
    @Override
    public String type() {
      return EventTypes.WATCH_ERROR;
    }
  }

  /** A watch ended (stopped, or its client's Ctrl-C): the last event of its stream, {@code {}}. */
  @JsonInclude(Include.NON_NULL) // a Jackson annotation lets Jackson write a record with no fields
  record WatchStopped() implements EventPayload {
    @Override
    public String type() {
      return EventTypes.WATCH_STOPPED;
    }
  }

  /**
   * A workflow or custom command run starts ({@code kind} {@code workflow} or {@code command}): its
   * step names in order.
   */
  record WorkflowRunning(String kind, String name, String project, List<String> steps)
      implements EventPayload {
    public WorkflowRunning {
      steps = List.copyOf(steps);
    }

    @Override
    public String type() {
      return EventTypes.WORKFLOW_RUNNING;
    }
  }

  /** A step starts (0-based {@code index}, as Garden's events count). */
  record WorkflowStepProcessing(
      int index, String name, @JsonInclude(Include.NON_NULL) String description)
      implements EventPayload {
    @Override
    public String type() {
      return EventTypes.WORKFLOW_STEP_PROCESSING;
    }
  }

  /** A step with {@code skip: true} was skipped. */
  record WorkflowStepSkipped(int index, String name) implements EventPayload {
    @Override
    public String type() {
      return EventTypes.WORKFLOW_STEP_SKIPPED;
    }
  }

  /** A step succeeded. */
  record WorkflowStepComplete(int index, String name, long durationMsec) implements EventPayload {
    @Override
    public String type() {
      return EventTypes.WORKFLOW_STEP_COMPLETE;
    }
  }

  /** A step failed. */
  record WorkflowStepError(int index, String name, long durationMsec, ActionError error)
      implements EventPayload {
    @Override
    public String type() {
      return EventTypes.WORKFLOW_STEP_ERROR;
    }
  }

  /** The workflow succeeded: the last event of its run. */
  record WorkflowComplete(WorkflowResult result) implements EventPayload {
    @Override
    public String type() {
      return EventTypes.WORKFLOW_COMPLETE;
    }
  }

  /** The workflow failed or was cancelled: the last event of its run. */
  record WorkflowError(WorkflowResult result) implements EventPayload {
    @Override
    public String type() {
      return EventTypes.WORKFLOW_ERROR;
    }
  }
}
