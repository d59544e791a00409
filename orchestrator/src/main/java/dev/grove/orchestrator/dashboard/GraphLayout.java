package dev.grove.orchestrator.dashboard;

import dev.grove.api.action.ActionSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.alg.layered.options.NodePlacementStrategy;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * The dashboard's drawing of a project's action graph, laid out in the daemon by Eclipse ELK's
 * layered algorithm (Sugiyama: layers left to right, dependencies before dependants, few crossings,
 * orthogonal edges), so that the page only draws boxes and lines where it is told.
 */
public final class GraphLayout {
  /** A node's height, and the width of a character of its label (the page's monospace font). */
  static final double NODE_HEIGHT = 34;

  static final double CHAR_WIDTH = 7.5;

  private static final double NODE_PADDING = 28;

  static {
    LayoutMetaDataService.getInstance()
        .registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
  }

  /** The last layouts, by the graph they drew: a page reload or a second page costs nothing. */
  private static final int CACHED = 8;

  private static final Map<List<ActionSummary>, Layout> CACHE =
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<ActionSummary>, Layout> eldest) {
          return size() > CACHED;
        }
      };

  private static final java.util.concurrent.atomic.AtomicBoolean WARM =
      new java.util.concurrent.atomic.AtomicBoolean();

  private GraphLayout() {}

  /** The layout of {@code actions}, from the cache when the graph is the same as lately. */
  public static Layout cached(List<ActionSummary> actions) {
    synchronized (CACHE) {
      Layout known = CACHE.get(actions);
      if (known != null) {
        return known;
      }
    }
    Layout layout = of(actions);
    synchronized (CACHE) {
      CACHE.put(List.copyOf(actions), layout);
    }
    return layout;
  }

  /**
   * Lays out a made-up graph once, so that ELK's classes are loaded and compiled before a page asks
   * (the first layout of a JVM takes ten times longer than the next): call it when a page is about
   * to open.
   */
  public static void warm() {
    if (!WARM.compareAndSet(false, true)) {
      return;
    }
    List<ActionSummary> actions = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      actions.add(
          new ActionSummary("build.b" + i, "Build", "exec", "b" + i, "v", List.of(), false));
      actions.add(
          new ActionSummary(
              "deploy.d" + i, "Deploy", "exec", "d" + i, "v", List.of("build.b" + i), false));
    }
    for (int round = 0; round < 3; round++) {
      of(actions);
    }
  }

  /**
   * One action's box.
   *
   * @param label what the box shows: {@code kind.name}
   */
  public record Node(
      String ref,
      String kind,
      String type,
      String label,
      boolean disabled,
      double x,
      double y,
      double width,
      double height) {}

  /**
   * A dependency, drawn from the dependency to its dependant.
   *
   * @param points the line: start, bends, end
   */
  public record Edge(String from, String to, List<double[]> points) {}

  /** The drawing: boxes, lines and the size of the whole. */
  public record Layout(List<Node> nodes, List<Edge> edges, double width, double height) {}

  /** Lays out {@code actions}; edges to actions not among them are left out. */
  public static Layout of(List<ActionSummary> actions) {
    ElkNode graph = ElkGraphUtil.createGraph();
    graph.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
    graph.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
    graph.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
    graph.setProperty(LayeredOptions.SPACING_NODE_NODE, 14.0);
    graph.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 48.0);
    // Brandes-Köpf places thousands of nodes in milliseconds (network simplex takes seconds)
    graph.setProperty(LayeredOptions.NODE_PLACEMENT_STRATEGY, NodePlacementStrategy.BRANDES_KOEPF);
    graph.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(16));

    Map<String, ElkNode> nodes = new HashMap<>();
    for (ActionSummary action : actions) {
      ElkNode node = ElkGraphUtil.createNode(graph);
      node.setIdentifier(action.ref());
      node.setWidth(Math.max(90, action.ref().length() * CHAR_WIDTH + NODE_PADDING));
      node.setHeight(NODE_HEIGHT);
      nodes.put(action.ref(), node);
    }
    List<ElkEdge> edges = new ArrayList<>();
    List<String[]> ends = new ArrayList<>();
    for (ActionSummary action : actions) {
      for (String dependency : action.dependencies()) {
        ElkNode from = nodes.get(dependency);
        if (from != null) {
          edges.add(ElkGraphUtil.createSimpleEdge(from, nodes.get(action.ref())));
          ends.add(new String[] {dependency, action.ref()});
        }
      }
    }
    new RecursiveGraphLayoutEngine().layout(graph, new BasicProgressMonitor());

    List<Node> placed = new ArrayList<>();
    for (ActionSummary action : actions) {
      ElkNode node = nodes.get(action.ref());
      placed.add(
          new Node(
              action.ref(),
              action.kind(),
              action.type(),
              action.ref(),
              action.disabled(),
              node.getX(),
              node.getY(),
              node.getWidth(),
              node.getHeight()));
    }
    List<Edge> lines = new ArrayList<>();
    for (int i = 0; i < edges.size(); i++) {
      List<double[]> points = new ArrayList<>();
      for (ElkEdgeSection section : edges.get(i).getSections()) {
        points.add(new double[] {section.getStartX(), section.getStartY()});
        for (ElkBendPoint bend : section.getBendPoints()) {
          points.add(new double[] {bend.getX(), bend.getY()});
        }
        points.add(new double[] {section.getEndX(), section.getEndY()});
      }
      lines.add(new Edge(ends.get(i)[0], ends.get(i)[1], points));
    }
    return new Layout(placed, lines, graph.getWidth(), graph.getHeight());
  }
}
