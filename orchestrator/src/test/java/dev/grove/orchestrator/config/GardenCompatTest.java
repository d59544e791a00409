package dev.grove.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.api.action.ActionRef;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.graph.ActionGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Grove's graph of each Garden project under {@code projects/garden-compat/} is Garden's: the
 * actions and edges Garden 0.13.24's {@code garden get graph} printed for it, recorded in the
 * project's {@code garden-graph.json} by {@code ../shared/peers/garden/compare.sh DIR --record
 * DIR/garden-graph.json} (Garden is not needed here). A project's {@code grove-omits.txt} lists the
 * actions Garden adds that Grove deliberately does not (with why, in comments): they and their
 * edges are left out of Garden's graph before comparing.
 */
class GardenCompatTest {
  private static final Path CORPUS = Fixtures.project("garden-compat");

  record Recorded(List<String> actions, List<String> edges) {}

  @TestFactory
  Stream<DynamicTest> groveBuildsGardensGraph() throws IOException {
    List<Path> projects;
    try (Stream<Path> dirs = Files.list(CORPUS)) {
      projects =
          dirs.filter(dir -> Files.isRegularFile(dir.resolve("garden-graph.json")))
              .sorted()
              .toList();
    }
    assertThat(projects).as("recorded projects under " + CORPUS).isNotEmpty();
    return projects.stream()
        .map(
            dir ->
                DynamicTest.dynamicTest(
                    dir.getFileName().toString(),
                    () -> {
                      Recorded garden =
                          new ObjectMapper()
                              .readValue(dir.resolve("garden-graph.json").toFile(), Recorded.class);
                      Set<String> omitted = omitted(dir);
                      ActionGraph graph = Fixtures.load(dir, null, Map.of(), Map.of()).graph();
                      TreeSet<String> actions = new TreeSet<>();
                      TreeSet<String> edges = new TreeSet<>();
                      for (ActionRef ref : graph.topologicalOrder()) {
                        actions.add(ref.toString());
                        for (ActionRef dep : graph.dependencies(ref)) {
                          edges.add(ref + "->" + dep);
                        }
                      }
                      assertThat(actions)
                          .as("actions")
                          .containsExactlyElementsOf(
                              garden.actions().stream()
                                  .filter(a -> !omitted.contains(a))
                                  .collect(Collectors.toCollection(TreeSet::new)));
                      assertThat(edges)
                          .as("edges")
                          .containsExactlyElementsOf(
                              garden.edges().stream()
                                  .filter(
                                      e -> Stream.of(e.split("->")).noneMatch(omitted::contains))
                                  .collect(Collectors.toCollection(TreeSet::new)));
                    }));
  }

  private static Set<String> omitted(Path dir) throws IOException {
    Path file = dir.resolve("grove-omits.txt");
    if (!Files.isRegularFile(file)) {
      return Set.of();
    }
    return Files.readAllLines(file).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .collect(Collectors.toSet());
  }
}
