package dev.grove.actions.spi;

import dev.grove.api.action.ActionRef;
import dev.grove.api.event.EventPayload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every handler gets to run one operation of one action, whatever its type. What only some
 * types read comes as an {@link #extension}: the Kubernetes types' {@link KubeContext} (provider,
 * deploy target), which exec types never see. Build one with {@link #builder}.
 *
 * @param spec the action's spec, templates resolved (runtime outputs of dependencies included);
 *     handlers read it through {@link #spec(Class, SpecParser)}, parsed once per context
 * @param sourceDir the action's source folder (for a Deploy with {@code build}, the Build's)
 * @param projectRoot the project root
 * @param env the invoking CLI's environment: the base of every process's environment
 * @param timeout the action's timeout
 * @param outputs the action's static outputs ({@code deploymentImageId}, ...)
 * @param events where a handler reports typed events of the action ({@code imagePushed}, ...)
 * @param sources the action's source files (relative to the project root, {@code /} separators)
 *     after include/exclude and ignore files, the same the version counts; null when not known
 *     (every file of the source folder)
 * @param extensions what only some types read, by its class ({@link KubeContext})
 * @param parsed the spec parsed by the action type, once
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
    Map<String, Object> outputs,
    Events events,
    List<String> sources,
    Map<Class<?>, Object> extensions,
    ParsedSpec parsed) {

  /** Typed events of the action, published by the run with the action attached. */
  @FunctionalInterface
  public interface Events {
    Events NONE = payload -> {};

    void emit(EventPayload payload);
  }

  /** Parses the raw spec into an action type's {@code *Spec} record. */
  @FunctionalInterface
  public interface SpecParser<S> {
    S parse(ActionContext context) throws ActionException;
  }

  public ActionContext {
    spec = spec == null ? Map.of() : spec;
    env = env == null ? Map.of() : env;
    outputs = outputs == null ? Map.of() : outputs;
    events = events == null ? Events.NONE : events;
    sources = sources == null ? null : List.copyOf(sources);
    extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    parsed = parsed == null ? new ParsedSpec() : parsed;
  }

  /** What the context carries for the types that read {@code type}; empty when it carries none. */
  public <T> Optional<T> extension(Class<T> type) {
    return Optional.ofNullable(type.cast(extensions.get(type)));
  }

  /**
   * The spec as the action type's record: parsed on the first call, the same record after (status,
   * process and render of one run parse it once).
   */
  public <S> S spec(Class<S> type, SpecParser<S> parser) throws ActionException {
    return parsed.get(this, type, parser);
  }

  /**
   * This context with another spec (parsed afresh): for a handler that hands part of its spec to
   * another type's code, such as a helm-pod Test rendering its chart as a helm Deploy does.
   */
  public ActionContext withSpec(Map<String, Object> other) {
    return new ActionContext(
        ref,
        type,
        version,
        other,
        sourceDir,
        projectRoot,
        env,
        timeout,
        log,
        cancellation,
        outputs,
        events,
        sources,
        extensions,
        null);
  }

  /** The parsed spec of one context; a context's copies share it. */
  public static final class ParsedSpec {
    private Object value;

    synchronized <S> S get(ActionContext context, Class<S> type, SpecParser<S> parser)
        throws ActionException {
      if (!type.isInstance(value)) {
        value = parser.parse(context);
      }
      return type.cast(value);
    }
  }

  public static Builder builder(ActionRef ref, String type, String version) {
    return new Builder(ref, type, version);
  }

  /** A context; what is not set is empty (no spec, outputs, events or extensions). */
  public static final class Builder {
    private final ActionRef ref;
    private final String type;
    private final String version;
    private Map<String, Object> spec;
    private Path sourceDir;
    private Path projectRoot;
    private Map<String, String> env;
    private Duration timeout;
    private LogSink log = (stream, line) -> {};
    private Cancellation cancellation = new Cancellation();
    private Map<String, Object> outputs;
    private Events events;
    private List<String> sources;
    private final Map<Class<?>, Object> extensions = new HashMap<>();

    private Builder(ActionRef ref, String type, String version) {
      this.ref = ref;
      this.type = type;
      this.version = version;
    }

    public Builder spec(Map<String, Object> spec) {
      this.spec = spec;
      return this;
    }

    /** The action's source folder and the project root. */
    public Builder dirs(Path sourceDir, Path projectRoot) {
      this.sourceDir = sourceDir;
      this.projectRoot = projectRoot;
      return this;
    }

    public Builder env(Map<String, String> env) {
      this.env = env;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder log(LogSink log) {
      this.log = log;
      return this;
    }

    public Builder cancellation(Cancellation cancellation) {
      this.cancellation = cancellation;
      return this;
    }

    public Builder outputs(Map<String, Object> outputs) {
      this.outputs = outputs;
      return this;
    }

    public Builder events(Events events) {
      this.events = events;
      return this;
    }

    public Builder sources(List<String> sources) {
      this.sources = sources;
      return this;
    }

    /** Adds what the types that read {@code type} get (one value per class). */
    public <T> Builder extension(Class<T> type, T value) {
      extensions.put(type, type.cast(value));
      return this;
    }

    public ActionContext build() {
      return new ActionContext(
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
          outputs,
          events,
          sources,
          extensions,
          null);
    }
  }
}
