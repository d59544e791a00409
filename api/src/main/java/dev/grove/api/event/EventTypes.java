package dev.grove.api.event;

/**
 * The event types, and the payload each carries: the fields of its {@link EventPayload} record, in
 * wire order.
 */
public final class EventTypes {
  /** {@code {command, project, environment, actions: [refs requested]}}. */
  public static final String RUN_STARTED = "runStarted";

  /** {@code {actions: [{ref, version, dependencies}]}}: the actions of the run, in graph order. */
  public static final String GRAPH_RESOLVED = "graphResolved";

  /**
   * {@code {state, durationMs?, detail?, reusedFrom?, error?: {code, message, suggestion?}}} with
   * {@code state} one of {@code pending checking ready processing succeeded failed aborted
   * cancelled}.
   */
  public static final String ACTION_STATUS = "actionStatus";

  /** {@code {stream: stdout|stderr, line}}: one line of an action's output, in order. */
  public static final String LOG = "log";

  /**
   * {@code {image, digest, bytesUploaded, layersUploaded, layersReused}}: a container Build pushed
   * its image (the counts include the image config blob; bytes are as stored, compressed; 0 for a
   * tar).
   */
  public static final String IMAGE_PUSHED = "imagePushed";

  /**
   * {@code {kind, name, desired, updated, ready, done, waiting}}: a Deploy's workload while its
   * rollout is waited for ({@code waiting}: pods and the reason they wait).
   */
  public static final String ROLLOUT_PROGRESS = "rolloutProgress";

  /**
   * {@code {state, objects: [{kind, name, namespace, state}]}}: a Kubernetes Deploy's status and
   * each of its objects' ({@code missing}, {@code outdated}, {@code deploying}, {@code unhealthy},
   * {@code ready}).
   */
  public static final String DEPLOY_STATUS = "deployStatus";

  /** {@code {code, message, suggestion}}: a lint finding of an action, e.g. GROVE_PULL_SECRET. */
  public static final String WARNING = "warning";

  /** The run's {@link dev.grove.api.run.RunResult} as the payload. */
  public static final String RUN_FINISHED = "runFinished";

  /** {@code {missed, fromSeq, toSeq}}: a slow client was sent no events in that range. */
  public static final String GAP = "gap";

  /**
   * A watch saw saved files: {@code {paths, count}} (the first paths, relative to the root; ignored
   * files left out; how many there were).
   */
  public static final String FILE_CHANGED = "fileChanged";

  /** A watch starts a run: {@code {runId, actions, changed}} (what runs, whose version changed). */
  public static final String WATCH_TRIGGERED = "watchTriggered";

  /**
   * A watch could not load the project: {@code {error, problems}}, as validate says; it goes on.
   */
  public static final String WATCH_ERROR = "watchError";

  /** A watch ended (stopped, or its client's Ctrl-C): the last event of its stream. */
  public static final String WATCH_STOPPED = "watchStopped";

  /** A workflow (or custom command) run starts: {@code {kind, name, project, steps}}. */
  public static final String WORKFLOW_RUNNING = "workflowRunning";

  /** A workflow step starts: {@code {index, name, description?}}; Garden's event name. */
  public static final String WORKFLOW_STEP_PROCESSING = "workflowStepProcessing";

  /** A step with {@code skip: true} was skipped: {@code {index, name}}. */
  public static final String WORKFLOW_STEP_SKIPPED = "workflowStepSkipped";

  /** A step succeeded: {@code {index, name, durationMsec}}. */
  public static final String WORKFLOW_STEP_COMPLETE = "workflowStepComplete";

  /** A step failed: {@code {index, name, durationMsec, error}}. */
  public static final String WORKFLOW_STEP_ERROR = "workflowStepError";

  /** The workflow succeeded: {@code {result}}, its last event. */
  public static final String WORKFLOW_COMPLETE = "workflowComplete";

  /** The workflow failed (or was cancelled): {@code {result}}, its last event. */
  public static final String WORKFLOW_ERROR = "workflowError";

  private EventTypes() {}
}
