package dev.grove.orchestrator.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActionGraphTest {
  private static ActionRef ref(String text) {
    return ActionRef.parse(text).orElseThrow();
  }

  @Test
  void topologicalOrderPutsDependenciesFirst() {
    Map<ActionRef, Set<ActionRef>> edges = new HashMap<>();
    edges.put(ref("deploy.web"), Set.of(ref("build.web"), ref("deploy.api")));
    edges.put(ref("deploy.api"), Set.of(ref("build.api")));
    ActionGraph graph =
        ActionGraph.build(
                List.of(ref("deploy.web"), ref("deploy.api"), ref("build.web"), ref("build.api")),
                edges)
            .graph();
    List<ActionRef> order = graph.topologicalOrder();
    assertThat(order.indexOf(ref("build.api"))).isLessThan(order.indexOf(ref("deploy.api")));
    assertThat(order.indexOf(ref("deploy.api"))).isLessThan(order.indexOf(ref("deploy.web")));
    assertThat(order.indexOf(ref("build.web"))).isLessThan(order.indexOf(ref("deploy.web")));
    assertThat(graph.dependants(ref("build.api"))).containsExactly(ref("deploy.api"));
  }

  @Test
  void closuresFollowEdgesAndLeaveOutWhatTheFilterRefuses() {
    Map<ActionRef, Set<ActionRef>> edges = new HashMap<>();
    edges.put(ref("deploy.web"), Set.of(ref("build.web"), ref("deploy.api")));
    edges.put(ref("deploy.api"), Set.of(ref("build.api")));
    ActionGraph graph =
        ActionGraph.build(
                List.of(ref("deploy.web"), ref("deploy.api"), ref("build.web"), ref("build.api")),
                edges)
            .graph();

    assertThat(graph.withDependencies(List.of(ref("deploy.web")), any -> true))
        .containsExactlyInAnyOrder(
            ref("deploy.web"), ref("deploy.api"), ref("build.web"), ref("build.api"));
    // --skip-dependencies: Builds only, and nothing behind a skipped Deploy
    assertThat(
            graph.withDependencies(List.of(ref("deploy.web")), r -> r.kind() == ActionKind.BUILD))
        .containsExactlyInAnyOrder(ref("deploy.web"), ref("build.web"));
    assertThat(graph.withDependants(List.of(ref("build.api")), any -> true))
        .containsExactlyInAnyOrder(ref("build.api"), ref("deploy.api"), ref("deploy.web"));
    assertThat(graph.withDependants(List.of(ref("build.api")), r -> !r.name().equals("api")))
        .containsExactly(ref("build.api"));
  }

  @Test
  void cycleIsReportedAsAClosedPath() {
    Map<ActionRef, Set<ActionRef>> edges = new HashMap<>();
    edges.put(ref("build.a"), Set.of(ref("deploy.c")));
    edges.put(ref("deploy.c"), Set.of(ref("deploy.b")));
    edges.put(ref("deploy.b"), Set.of(ref("build.a")));
    ActionGraph.Result result =
        ActionGraph.build(List.of(ref("build.a"), ref("deploy.b"), ref("deploy.c")), edges);
    assertThat(result.graph()).isNull();
    assertThat(result.describeCycle()).isEqualTo("build.a -> deploy.c -> deploy.b -> build.a");
  }

  @Test
  void selfDependencyIsACycle() {
    ActionGraph.Result result =
        ActionGraph.build(List.of(ref("build.a")), Map.of(ref("build.a"), Set.of(ref("build.a"))));
    assertThat(result.describeCycle()).isEqualTo("build.a -> build.a");
  }

  @Test
  void deepChainsDoNotOverflowTheStack() {
    Map<ActionRef, Set<ActionRef>> edges = new HashMap<>();
    List<ActionRef> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      nodes.add(ref("build.b" + i));
      if (i > 0) {
        edges.put(ref("build.b" + i), Set.of(ref("build.b" + (i - 1))));
      }
    }
    ActionGraph graph = ActionGraph.build(nodes, edges).graph();
    assertThat(graph.topologicalOrder().get(0)).isEqualTo(ref("build.b0"));
  }
}
