package dev.grove.actions.spi;

import dev.grove.api.event.EventPayload;
import java.util.Map;

/**
 * Runs the operations of one action type. Methods block (processes, network): the solver calls them
 * on a worker pool, never on an event loop. Each must honour {@link ActionContext#cancellation()}
 * promptly.
 */
public interface ActionHandler {

  /** Whether the action is already in the state {@link #process} would bring it to. */
  Status status(ActionContext context) throws ActionException;

  /** Builds or deploys the action. */
  Outputs process(ActionContext context) throws ActionException;

  /** A Build whose artifact can be published ({@code grove publish}), e.g. an image. */
  interface Publisher {
    /**
     * Publishes the built artifact; runs after {@link #process} (or a ready status).
     *
     * @param tag the tag to publish under, overriding the handler's default
     */
    Outputs publish(ActionContext context, java.util.Optional<String> tag) throws ActionException;
  }

  /**
   * A Test or Run that keeps its results ({@code grove get test-result}): the last one, wherever
   * the type keeps it (the cluster, the project's {@code .grove/results}).
   */
  interface ResultReader {
    java.util.Optional<RunResult> lastResult(ActionContext context) throws ActionException;
  }

  /** A Deploy that can say what it would apply, without a cluster ({@code grove render}). */
  interface Renderer {
    Rendered render(ActionContext context) throws ActionException;
  }

  /**
   * Rendered objects and the lint findings of the way, each a machine code, what is wrong, and what
   * to do: the payload of the {@code warning} event a deploy emits for it.
   */
  record Rendered(
      java.util.List<Map<String, Object>> objects, java.util.List<EventPayload.Warning> warnings) {
    public Rendered {
      objects = java.util.List.copyOf(objects);
      warnings = java.util.List.copyOf(warnings);
    }
  }

  /**
   * The result of a status check.
   *
   * @param ready nothing to do
   * @param detail Garden's detailed state ({@code ready}, {@code outdated}, {@code missing}, {@code
   *     not-ready}, ...)
   * @param outputs the runtime outputs when ready
   */
  record Status(boolean ready, String detail, Map<String, Object> outputs) {
    public static Status notReady(String detail) {
      return new Status(false, detail, Map.of());
    }
  }

  /** The runtime outputs of a processed action ({@code log}, {@code stdout}, ...). */
  record Outputs(Map<String, Object> values) {
    public static final Outputs NONE = new Outputs(Map.of());
  }
}
