package dev.grove.orchestrator.router;

import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.ActionTypeRegistry;
import dev.grove.actions.spi.Capability;
import dev.grove.actions.spi.Cleanable;
import dev.grove.actions.spi.DeployLogs;
import dev.grove.api.action.ActionKind;
import dev.grove.orchestrator.config.LoadedProject;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Sends each operation on an action to the handler registered for its (kind, type), when that
 * handler declares the {@link Capability}; what a type cannot do is an answer, not an error ({@code
 * grove delete} of an exec Deploy without a cleanup command, {@code grove render} of an exec
 * Deploy). The solver decides what runs when; this decides where it goes. Operations block: call
 * them on a worker pool.
 */
public final class ActionRouter {

  /** Readies what a Build's or Deploy's operations need first, e.g. the sandbox cluster. */
  @FunctionalInterface
  public interface Preparation {
    Preparation NONE = (project, env, say) -> {};

    /** Starts the sandbox when the project's kubernetes provider uses it and it is not running. */
    static Preparation sandbox(KubeClients clients) {
      return (project, env, say) ->
          clients.ensureSandbox(project.project().kubernetesOrDefaults(), env, say);
    }

    void prepare(LoadedProject project, Map<String, String> env, Consumer<String> say)
        throws ActionException;
  }

  private final ActionTypeRegistry types;
  private final Preparation preparation;

  public ActionRouter(ActionTypeRegistry types, Preparation preparation) {
    this.types = types;
    this.preparation = preparation;
  }

  /** The registry the router routes by; config loading finds types in it too. */
  public ActionTypeRegistry types() {
    return types;
  }

  /**
   * Before an action's operations: a project on the sandbox needs it before its first push, not
   * only at its first deploy, and before a Test or Run that runs in a pod.
   */
  public void prepare(
      ActionKind kind,
      String type,
      LoadedProject project,
      Map<String, String> env,
      Consumer<String> say)
      throws ActionException {
    // a Test or Run in a pod needs the cluster too; a local (exec) one does not
    if (kind == ActionKind.BUILD || kind == ActionKind.DEPLOY || !"exec".equals(type)) {
      preparation.prepare(project, env, say);
    }
  }

  public ActionHandler.Status status(ActionContext context) throws ActionException {
    return route(context).handler().status(context);
  }

  public ActionHandler.Outputs process(ActionContext context) throws ActionException {
    return route(context).handler().process(context);
  }

  /** Undoes a Deploy; false when its type has nothing to undo. */
  public boolean delete(ActionContext context) throws ActionException {
    ActionTypeRegistry.Route route = route(context);
    if (!route.can(Capability.DELETE)) {
      return false;
    }
    ((Cleanable) route.handler()).cleanup(context);
    return true;
  }

  /** Publishes a Build's artifact; empty when its type has nothing to publish. */
  public Optional<ActionHandler.Outputs> publish(ActionContext context, Optional<String> tag)
      throws ActionException {
    ActionTypeRegistry.Route route = route(context);
    if (!route.can(Capability.PUBLISH)) {
      return Optional.empty();
    }
    return Optional.of(((ActionHandler.Publisher) route.handler()).publish(context, tag));
  }

  /** Whether the handler of a (kind, type) declares the capability. */
  public boolean can(ActionKind kind, String type, Capability capability) {
    return types.route(kind, type).map(route -> route.can(capability)).orElse(false);
  }

  /**
   * What a Deploy would apply.
   *
   * @throws ActionException when its type cannot render ({@link #can} says so first)
   */
  public ActionHandler.Rendered render(ActionContext context) throws ActionException {
    ActionTypeRegistry.Route route = route(context);
    if (!route.can(Capability.RENDER)) {
      throw unsupported(context, "renders nothing");
    }
    return ((ActionHandler.Renderer) route.handler()).render(context);
  }

  /** Where a Deploy's logs are; empty when its type runs nothing that logs there. */
  public Optional<DeployLogs> logs(ActionKind kind, String type) {
    return types
        .route(kind, type)
        .filter(route -> route.can(Capability.LOGS))
        .map(route -> (DeployLogs) route.handler());
  }

  /** A Test's or Run's last kept result; empty when it has none or its type keeps none. */
  public Optional<dev.grove.actions.spi.RunResult> lastResult(ActionContext context)
      throws ActionException {
    ActionTypeRegistry.Route route = route(context);
    if (!route.can(Capability.RESULTS)) {
      return Optional.empty();
    }
    return ((ActionHandler.ResultReader) route.handler()).lastResult(context);
  }

  private static ActionException unsupported(ActionContext context, String what) {
    return new ActionException(
        ActionCodes.NOT_SUPPORTED,
        context.ref() + " (type `" + context.type() + "`) " + what + ".",
        "Leave it out of this command.");
  }

  private ActionTypeRegistry.Route route(ActionContext context) throws ActionException {
    ActionKind kind = context.ref().kind();
    return types
        .route(kind, context.type())
        .orElseThrow(
            () ->
                new ActionException(
                    ActionCodes.NOT_SUPPORTED,
                    "Grove has no handler for "
                        + kind.displayName()
                        + "/"
                        + context.type()
                        + " actions ("
                        + context.ref()
                        + ").",
                    "Use one of its types: " + String.join(", ", types.typesOf(kind)) + "."));
  }
}
