package dev.grove.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grove.api.action.ActionRef;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.render.RenderRequest;
import dev.grove.api.render.RenderResult;
import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.graph.ActionGraph;
import dev.grove.orchestrator.project.DefaultProjectService;
import dev.grove.orchestrator.project.RenderService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grove's graph of each Garden project under {@code projects/garden-compat/} is Garden's: the
 * actions and edges Garden 0.13.24's {@code garden get graph} printed for it, recorded in the
 * project's {@code garden-graph.json} by {@code ../shared/peers/garden/compare.sh DIR --record
 * DIR/garden-graph.json} (Garden is not needed here).
 */
class GardenCompatTest {
  private static final Path CORPUS = Fixtures.project("garden-compat");
  private static final Path EXAMPLES = Path.of("../examples").toAbsolutePath().normalize();

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
                    () -> assertSameGraph(dir, dir.resolve("garden-graph.json"), omitted(dir))));
  }

  /**
   * {@code grove render} works wherever the graph loads: every Deploy of every recorded project and
   * example renders (objects, or a note saying why there are none, as for exec Deploys).
   */
  @TestFactory
  Stream<DynamicTest> everyDeployRenders() throws IOException {
    List<Path> projects;
    try (Stream<Path> corpus = Files.list(CORPUS);
        Stream<Path> examples = Files.list(EXAMPLES)) {
      projects =
          Stream.concat(
                  corpus.filter(dir -> Files.isRegularFile(dir.resolve("garden-graph.json"))),
                  examples.filter(Files::isDirectory))
              .sorted()
              .toList();
    }
    RenderService render =
        new RenderService(new DefaultProjectService(Fixtures.router()), Fixtures.router());
    return projects.stream()
        .map(
            dir ->
                DynamicTest.dynamicTest(
                    dir.getParent().getFileName() + "/" + dir.getFileName(),
                    () -> {
                      String root = dir.toString();
                      RenderResult result =
                          render.render(
                              new RenderRequest(
                                  new ProjectRequest(root, root, null, Map.of(), System.getenv()),
                                  List.of()));
                      for (RenderResult.RenderedDeploy deploy : result.deploys()) {
                        assertThat(deploy.yaml().isEmpty() ? deploy.note() : deploy.yaml())
                            .as(deploy.action() + " of " + dir)
                            .isNotBlank();
                      }
                    }));
  }

  /**
   * Grove's own {@code examples/} load in Garden unchanged, with the same graph: checked in place
   * (not as copies that could drift), against recordings in {@code
   * projects/garden-compat-examples/<example>.json}; an example without one fails.
   */
  @TestFactory
  Stream<DynamicTest> examplesLoadInGardenWithTheSameGraph() throws IOException {
    List<Path> examples;
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      examples = dirs.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(examples).as("examples under " + EXAMPLES).isNotEmpty();
    return examples.stream()
        .map(
            dir ->
                DynamicTest.dynamicTest(
                    dir.getFileName().toString(),
                    () -> {
                      Path recording =
                          Fixtures.project("garden-compat-examples")
                              .resolve(dir.getFileName() + ".json");
                      assertThat(recording)
                          .as(
                              "Garden's graph of "
                                  + dir
                                  + ": record it with ../shared/peers/garden/compare.sh"
                                  + " examples/NAME --record "
                                  + recording)
                          .isRegularFile();
                      assertSameGraph(dir, recording, Set.of());
                    }));
  }

  /**
   * Remote sources: {@code sources-remote/repo} becomes a git repository in a temporary folder and
   * {@code sources-remote/project} names it by its {@code file://} URL (the recording, made the
   * same way, holds no path).
   */
  @Test
  void aRemoteSourcesActionsJoinTheGraphAsInGarden(@TempDir Path tmp) throws Exception {
    Path fixture = CORPUS.resolve("sources-remote");
    Path repo = Fixtures.copyTree(fixture.resolve("repo"), tmp.resolve("repo"));
    Path project = Fixtures.copyTree(fixture.resolve("project"), tmp.resolve("project"));
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "lib");
    Path projectFile = project.resolve("project.garden.yml");
    Files.writeString(
        projectFile,
        Files.readString(projectFile)
            .replace("REPO_URL", repo.toUri().toString().replaceAll("/$", "")));
    assertSameGraph(project, fixture.resolve("garden-graph-remote.json"), Set.of());
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process git = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
    assertThat(git.waitFor(60, TimeUnit.SECONDS)).as("git " + command).isTrue();
    assertThat(git.exitValue()).as("git " + command).isZero();
  }

  /**
   * Asserts Grove's graph of {@code project} is Garden's recorded one, but for the actions Grove
   * deliberately leaves out (and their edges).
   */
  private static void assertSameGraph(Path project, Path recording, Set<String> omitted)
      throws IOException {
    Recorded garden = new ObjectMapper().readValue(recording.toFile(), Recorded.class);
    ActionGraph graph = Fixtures.load(project, null, Map.of(), Map.of()).graph();
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
                .filter(e -> Stream.of(e.split("->")).noneMatch(omitted::contains))
                .collect(Collectors.toCollection(TreeSet::new)));
  }

  /** The actions of Garden's graph Grove leaves out on purpose: {@code grove-omits.txt}, if any. */
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
