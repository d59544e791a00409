package dev.grove.actions.spi;

import dev.grove.api.action.ActionRef;
import dev.grove.api.event.EventPayload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a handler gets to run one operation of one action.
 *
 * @param spec the action's spec, templates resolved (runtime outputs of dependencies included)
 * @param sourceDir the action's source folder (for a Deploy with {@code build}, the Build's)
 * @param projectRoot the project root
 * @param env the invoking CLI's environment: the base of every process's environment
 * @param timeout the action's timeout
 * @param registry the kubernetes provider's {@code deploymentRegistry}, if it has one
 * @param outputs the action's static outputs ({@code deploymentImageId}, ...)
 * @param events where a handler reports typed events of the action ({@code imagePushed}, ...)
 * @param buildMode the kubernetes provider's {@code buildMode} ({@code local-docker} by default)
 * @param sources the action's source files (relative to the project root, {@code /} separators)
 *     after include/exclude and ignore files, the same the version counts; null when not known
 *     (every file of the source folder)
 * @param deploy where a Deploy goes (namespace, provider, its Build's outputs); null for other
 *     kinds and where no project resolved it
 */
public record ActionContext(
    ActionRef ref,
    String type,
    String version,
    Map<String, Object> spec,
    Path sourceDir,
    Path projectRoot,
    Map<String, String> env,
    Duration timeout,
    LogSink log,
    Cancellation cancellation,
    Optional<ActionType.ImageRegistry> registry,
    Map<String, Object> outputs,
    Events events,
    String buildMode,
    List<String> sources,
    DeployTarget deploy) {

  /** Typed events of the action, published by the run with the action attached. */
  @FunctionalInterface
  public interface Events {
    Events NONE = payload -> {};

    void emit(EventPayload payload);
  }

  public ActionContext {
    registry = registry == null ? Optional.empty() : registry;
    outputs = outputs == null ? Map.of() : outputs;
    events = events == null ? Events.NONE : events;
    buildMode = buildMode == null || buildMode.isBlank() ? DEFAULT_BUILD_MODE : buildMode;
    sources = sources == null ? null : List.copyOf(sources);
  }

  /** As the canonical constructor, without a deploy target. */
  public ActionContext(
      ActionRef ref,
      String type,
      String version,
      Map<String, Object> spec,
      Path sourceDir,
      Path projectRoot,
      Map<String, String> env,
      Duration timeout,
      LogSink log,
      Cancellation cancellation,
      Optional<ActionType.ImageRegistry> registry,
      Map<String, Object> outputs,
      Events events,
      String buildMode,
      List<String> sources) {
    this(
        ref,
        type,
        version,
        spec,
        sourceDir,
        projectRoot,
        env,
        timeout,
        log,
        cancellation,
        registry,
        outputs,
        events,
        buildMode,
        sources,
        null);
  }

  /** Garden's default build mode. */
  public static final String DEFAULT_BUILD_MODE = "local-docker";

  /** A context for types that need no registry and no static outputs. */
  public ActionContext(
      ActionRef ref,
      String type,
      String version,
      Map<String, Object> spec,
      Path sourceDir,
      Path projectRoot,
      Map<String, String> env,
      Duration timeout,
      LogSink log,
      Cancellation cancellation) {
    this(
        ref,
        type,
        version,
        spec,
        sourceDir,
        projectRoot,
        env,
        timeout,
        log,
        cancellation,
        Optional.empty(),
        Map.of(),
        Events.NONE,
        DEFAULT_BUILD_MODE,
        null,
        null);
  }
}
