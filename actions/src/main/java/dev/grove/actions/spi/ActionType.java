package dev.grove.actions.spi;

import dev.grove.actions.provider.ImageRegistry;
import dev.grove.api.action.ActionKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One action type: a (kind, type) pair such as {@code Build/container}. This is what the config
 * engine needs to know of a type at load time; running it comes with the run engine.
 */
public interface ActionType {

  ActionKind kind();

  /** The type name as written in config: {@code container}, {@code exec}, {@code kubernetes}. */
  String type();

  /** The shape of {@code spec}. */
  Schema.Obj specSchema();

  /**
   * The files that count as this action's sources when the config has no {@code include}: empty
   * means Garden's default (every file under the source path). Paths are relative to the action's
   * build path.
   */
  default Optional<List<String>> defaultIncludes(Map<String, Object> spec) {
    return Optional.empty();
  }

  /**
   * The outputs known once the action's version is known ({@code deploymentImageId}, ...), which
   * other actions' templates may reference before this one ran.
   */
  default Map<String, Object> staticOutputs(OutputContext context) {
    return Map.of();
  }

  /** The outputs only known after the action ran ({@code log}, {@code stdout}, ...). */
  default Set<String> runtimeOutputs() {
    return Set.of();
  }

  /**
   * The handler that runs this type's operations; the default says that Grove does not run this
   * type yet.
   */
  default ActionHandler handler() {
    return new ActionHandler() {
      @Override
      public Status status(ActionContext context) throws ActionException {
        throw notSupported(context);
      }

      @Override
      public Outputs process(ActionContext context) throws ActionException {
        throw notSupported(context);
      }

      private ActionException notSupported(ActionContext context) {
        return new ActionException(
            ActionCodes.NOT_SUPPORTED,
            "Grove does not run "
                + kind().displayName()
                + "/"
                + type()
                + " actions yet ("
                + context.ref()
                + ").",
            "Leave it out of this command, or run it with Garden for now.");
      }
    };
  }

  /** What {@link #staticOutputs} may use. */
  record OutputContext(
      String name, Map<String, Object> spec, String version, Optional<ImageRegistry> registry) {}
}
