package dev.grove.orchestrator.graph;

import com.google.common.graph.GraphBuilder;
import com.google.common.graph.ImmutableGraph;
import dev.grove.api.action.ActionRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The action dependency graph, built once per load. An edge {@code a -> b} means {@code a} depends
 * on {@code b}. Guava has no topological sort nor cycle path, so both are here.
 */
public final class ActionGraph {
  private final ImmutableGraph<ActionRef> graph;
  private final List<ActionRef> order;

  private ActionGraph(ImmutableGraph<ActionRef> graph, List<ActionRef> order) {
    this.graph = graph;
    this.order = order;
  }

  /**
   * Builds the graph, or returns the first cycle found as a path that starts and ends with the same
   * action ({@code build.a -> deploy.c -> deploy.b -> build.a}).
   */
  public static Result build(Collection<ActionRef> nodes, Map<ActionRef, Set<ActionRef>> edges) {
    ImmutableGraph.Builder<ActionRef> builder =
        GraphBuilder.directed().allowsSelfLoops(true).<ActionRef>immutable();
    // Sorted so the order (and any reported cycle) is the same on every machine.
    TreeSet<ActionRef> sorted = new TreeSet<>(nodes);
    sorted.forEach(builder::addNode);
    for (ActionRef from : sorted) {
      for (ActionRef to : new TreeSet<>(edges.getOrDefault(from, Set.of()))) {
        builder.putEdge(from, to);
      }
    }
    ImmutableGraph<ActionRef> graph = builder.build();
    Map<ActionRef, Integer> state = new HashMap<>();
    List<ActionRef> order = new ArrayList<>(sorted.size());
    for (ActionRef start : sorted) {
      Optional<List<ActionRef>> cycle = visit(graph, start, state, order);
      if (cycle.isPresent()) {
        return new Result(null, cycle.get());
      }
    }
    return new Result(new ActionGraph(graph, List.copyOf(order)), List.of());
  }

  /** Iterative depth-first search: dependencies are appended before their dependants. */
  private static Optional<List<ActionRef>> visit(
      ImmutableGraph<ActionRef> graph,
      ActionRef start,
      Map<ActionRef, Integer> state,
      List<ActionRef> order) {
    if (state.containsKey(start)) {
      return Optional.empty();
    }
    final int visiting = 1;
    final int done = 2;
    Deque<ActionRef> path = new ArrayDeque<>();
    Deque<java.util.Iterator<ActionRef>> iterators = new ArrayDeque<>();
    state.put(start, visiting);
    path.addLast(start);
    iterators.addLast(new TreeSet<>(graph.successors(start)).iterator());
    while (!iterators.isEmpty()) {
      java.util.Iterator<ActionRef> next = iterators.peekLast();
      if (next.hasNext()) {
        ActionRef dep = next.next();
        Integer seen = state.get(dep);
        if (seen == null) {
          state.put(dep, visiting);
          path.addLast(dep);
          iterators.addLast(new TreeSet<>(graph.successors(dep)).iterator());
        } else if (seen == visiting) {
          List<ActionRef> cycle = new ArrayList<>();
          boolean in = false;
          for (ActionRef ref : path) {
            in = in || ref.equals(dep);
            if (in) {
              cycle.add(ref);
            }
          }
          cycle.add(dep);
          return Optional.of(cycle);
        }
      } else {
        iterators.removeLast();
        ActionRef finished = path.removeLast();
        state.put(finished, done);
        order.add(finished);
      }
    }
    return Optional.empty();
  }

  /** Every action, each after all of its dependencies. */
  public List<ActionRef> topologicalOrder() {
    return order;
  }

  /** What the action depends on directly, sorted. */
  public Set<ActionRef> dependencies(ActionRef ref) {
    return new TreeSet<>(graph.successors(ref));
  }

  /** What depends on the action directly, sorted. */
  public Set<ActionRef> dependants(ActionRef ref) {
    return new TreeSet<>(graph.predecessors(ref));
  }

  /**
   * The roots and everything they depend on, transitively, in the order found; a dependency {@code
   * take} refuses is left out and not followed.
   */
  public Set<ActionRef> withDependencies(
      Collection<ActionRef> roots, java.util.function.Predicate<ActionRef> take) {
    return closure(roots, graph::successors, take);
  }

  /**
   * The roots and everything that depends on them, transitively, in the order found; a dependant
   * {@code take} refuses is left out and not followed.
   */
  public Set<ActionRef> withDependants(
      Collection<ActionRef> roots, java.util.function.Predicate<ActionRef> take) {
    return closure(roots, graph::predecessors, take);
  }

  private Set<ActionRef> closure(
      Collection<ActionRef> roots,
      java.util.function.Function<ActionRef, Set<ActionRef>> next,
      java.util.function.Predicate<ActionRef> take) {
    Set<ActionRef> found = new java.util.LinkedHashSet<>(roots);
    java.util.Deque<ActionRef> todo = new java.util.ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      ActionRef ref = todo.pop();
      if (!graph.nodes().contains(ref)) {
        continue;
      }
      for (ActionRef other : new TreeSet<>(next.apply(ref))) {
        if (take.test(other) && found.add(other)) {
          todo.add(other);
        }
      }
    }
    return found;
  }

  public ImmutableGraph<ActionRef> asGraph() {
    return graph;
  }

  /** The built graph, or the cycle that prevented it. */
  public record Result(ActionGraph graph, List<ActionRef> cycle) {
    public String describeCycle() {
      return String.join(" -> ", cycle.stream().map(ActionRef::toString).toList());
    }
  }
}
