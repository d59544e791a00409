package dev.grove.api.event;

/** The event types, and the payload each carries. */
public final class EventTypes {
  /** {@code {command, actions: [refs requested], project, environment}}. */
  public static final String RUN_STARTED = "runStarted";

  /** {@code {actions: [{ref, dependencies}]}}: the actions of the run, in graph order. */
  public static final String GRAPH_RESOLVED = "graphResolved";

  /**
   * {@code {state, previous?, durationMs?, reusedFrom?, error?: {code, message, suggestion}}} with
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

  /** The run's {@link dev.grove.api.run.RunResult} as the payload. */
  public static final String RUN_FINISHED = "runFinished";

  /** {@code {missed, fromSeq, toSeq}}: a slow client was sent no events in that range. */
  public static final String GAP = "gap";

  private EventTypes() {}
}
