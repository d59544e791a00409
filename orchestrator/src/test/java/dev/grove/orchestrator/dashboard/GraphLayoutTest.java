package dev.grove.orchestrator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.action.ActionSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GraphLayoutTest {
  private static ActionSummary action(String ref, String... deps) {
    String[] parts = ref.split("\\.", 2);
    return new ActionSummary(ref, parts[0], "container", parts[1], "v-1", List.of(deps), false);
  }

  @Test
  void dependenciesAreLeftOfTheirDependantsWithoutOverlaps() {
    GraphLayout.Layout layout =
        GraphLayout.of(
            List.of(
                action("build.web"),
                action("build.backend"),
                action("deploy.backend", "build.backend"),
                action("deploy.web", "build.web", "deploy.backend")));
    Map<String, GraphLayout.Node> nodes =
        layout.nodes().stream()
            .collect(Collectors.toMap(GraphLayout.Node::ref, Function.identity()));
    assertThat(nodes).hasSize(4);
    assertThat(nodes.get("build.backend").x()).isLessThan(nodes.get("deploy.backend").x());
    assertThat(nodes.get("deploy.backend").x()).isLessThan(nodes.get("deploy.web").x());
    assertThat(layout.edges()).hasSize(3);
    for (GraphLayout.Edge edge : layout.edges()) {
      GraphLayout.Node from = nodes.get(edge.from());
      GraphLayout.Node to = nodes.get(edge.to());
      double[] start = edge.points().get(0);
      double[] end = edge.points().get(edge.points().size() - 1);
      assertThat(start[0]).isEqualTo(from.x() + from.width());
      assertThat(end[0]).isEqualTo(to.x());
    }
    List<GraphLayout.Node> all = new ArrayList<>(nodes.values());
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        GraphLayout.Node a = all.get(i);
        GraphLayout.Node b = all.get(j);
        boolean apart =
            a.x() + a.width() <= b.x()
                || b.x() + b.width() <= a.x()
                || a.y() + a.height() <= b.y()
                || b.y() + b.height() <= a.y();
        assertThat(apart).as(a.ref() + " and " + b.ref() + " overlap").isTrue();
      }
    }
    assertThat(layout.width()).isGreaterThan(0);
  }

  @Test
  void aThousandActionsAreLaidOut() {
    List<ActionSummary> actions = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      actions.add(action("build.b" + i));
      actions.add(action("deploy.d" + i, "build.b" + i, "deploy.d" + (i / 2)));
      actions.add(action("run.r" + i, "deploy.d" + i));
      actions.add(action("test.t" + i, "deploy.d" + i, "run.r" + i));
    }
    actions.set(1, action("deploy.d0", "build.b0"));
    GraphLayout.Layout layout = GraphLayout.of(actions);
    assertThat(layout.nodes()).hasSize(1000);
    assertThat(layout.edges()).hasSizeGreaterThan(1000);
  }
}
