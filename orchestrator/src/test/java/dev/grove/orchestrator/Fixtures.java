package dev.grove.orchestrator;

import dev.grove.actions.ActionTypes;
import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionTypeRegistry;
import dev.grove.api.error.Problem;
import dev.grove.orchestrator.config.LoadOptions;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.config.ProjectLoader;
import dev.grove.orchestrator.error.ConfigException;
import dev.grove.orchestrator.router.ActionRouter;
import dev.grove.orchestrator.template.TemplateResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The scenario projects under src/test/resources/projects/, loaded or copied for editing. */
public final class Fixtures {
  private static final KubeClients CLIENTS = new KubeClients(null, null);
  private static final ActionRouter ROUTER =
      new ActionRouter(
          ActionTypes.standard(
              CLIENTS,
              new PersistentProcesses(),
              new ProcessRunner(),
              // Helm's worker starts only if a test renders a helm action; remote charts are
              // not fetched
              FakeHelm.RENDERING),
          ActionRouter.Preparation.sandbox(CLIENTS));

  private Fixtures() {}

  /** The built-in action types, routed as the daemon routes them. */
  public static ActionRouter router() {
    return ROUTER;
  }

  /** The built-in action types. */
  public static ActionTypeRegistry types() {
    return ROUTER.types();
  }

  public static Path project(String name) {
    return Path.of("src/test/resources/projects", name).toAbsolutePath();
  }

  public static LoadedProject load(String name) {
    return load(project(name), null, Map.of(), Map.of());
  }

  public static LoadedProject load(
      Path root, String environment, Map<String, String> vars, Map<String, String> env) {
    return new ProjectLoader(root, new TemplateResolver(), types())
        .load(new LoadOptions(environment, vars, env))
        .project();
  }

  /** The problems a load of the fixture reports; fails if it loads. */
  public static List<Problem> problems(String name) {
    try {
      load(name);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected " + name + " to fail to load");
  }

  /** A copy of the fixture in {@code dir}, to edit. */
  public static Path copy(String name, Path dir) {
    return copyTree(project(name), dir);
  }

  /** A copy of the folder {@code source} as {@code dir}. */
  public static Path copyTree(Path source, Path dir) {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = dir.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }
}
