package dev.grove.actions.spi;

import dev.grove.api.action.ActionKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The action types one daemon knows: exactly one per (kind, type), each with its handler and the
 * {@link Capability capabilities} that handler declares. Built once by the composition root (or a
 * test, with types of its own) and passed to what loads and routes actions; nothing looks types up
 * statically.
 */
public final class ActionTypeRegistry {
  private final Map<Key, Route> routes = new LinkedHashMap<>();

  /** A registry key: {@code Build/container}, {@code Deploy/exec}, ... */
  public record Key(ActionKind kind, String type) {}

  /** One registered type: where its operations go and which of them it has. */
  public record Route(ActionType type, ActionHandler handler, Set<Capability> capabilities) {
    public Route {
      capabilities = Set.copyOf(capabilities);
    }

    public boolean can(Capability capability) {
      return capabilities.contains(capability);
    }
  }

  /**
   * @throws IllegalArgumentException when two types share a (kind, type)
   */
  public ActionTypeRegistry(List<? extends ActionType> types) {
    for (ActionType type : types) {
      ActionHandler handler = type.handler();
      Route route = new Route(type, handler, Capability.of(handler));
      if (routes.putIfAbsent(new Key(type.kind(), type.type()), route) != null) {
        throw new IllegalArgumentException(
            "Two action types are registered as " + type.kind().displayName() + "/" + type.type());
      }
    }
  }

  public Optional<ActionType> find(ActionKind kind, String type) {
    return route(kind, type).map(Route::type);
  }

  public Optional<Route> route(ActionKind kind, String type) {
    return Optional.ofNullable(routes.get(new Key(kind, type)));
  }

  /** The type names known for a kind, in registration order, for error messages. */
  public List<String> typesOf(ActionKind kind) {
    List<String> names = new ArrayList<>();
    routes.keySet().stream()
        .filter(key -> key.kind() == kind)
        .forEach(key -> names.add(key.type()));
    return names;
  }

  public List<ActionType> all() {
    return routes.values().stream().map(Route::type).toList();
  }
}
