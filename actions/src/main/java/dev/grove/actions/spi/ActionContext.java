package dev.grove.actions.spi;

import dev.grove.actions.provider.ImageRegistry;
import dev.grove.actions.provider.KubernetesProvider;
import dev.grove.api.action.ActionRef;
import dev.grove.api.event.EventPayload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a handler gets to run one operation of one action. Build one with {@link #builder}.
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
 * @param kubernetes the environment's kubernetes provider (every field at its default without one)
 * @param deploy where a Deploy goes (namespace, its Build's outputs); null for other kinds and
 *     where no project resolved it
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
    KubernetesProvider kubernetes,
    DeployTarget deploy,
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
    kubernetes = kubernetes == null ? KubernetesProvider.absent() : kubernetes;
    parsed = parsed == null ? new ParsedSpec() : parsed;
  }

  /** The kubernetes provider's {@code deploymentRegistry}, if it has one. */
  public Optional<ImageRegistry> registry() {
    return kubernetes.deploymentRegistry();
  }

  /** The kubernetes provider's {@code buildMode} ({@code local-docker} by default). */
  public String buildMode() {
    return kubernetes.buildMode();
  }

  /**
   * The spec as the action type's record: parsed on the first call, the same record after (status,
   * process and render of one run parse it once).
   */
  public <S> S spec(Class<S> type, SpecParser<S> parser) throws ActionException {
    return parsed.get(this, type, parser);
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

  /** A context; what is not set is empty (no spec, outputs, events, provider or deploy target). */
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
    private KubernetesProvider kubernetes;
    private DeployTarget deploy;

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

    public Builder kubernetes(KubernetesProvider kubernetes) {
      this.kubernetes = kubernetes;
      return this;
    }

    public Builder deploy(DeployTarget deploy) {
      this.deploy = deploy;
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
          kubernetes,
          deploy,
          null);
    }
  }
}
