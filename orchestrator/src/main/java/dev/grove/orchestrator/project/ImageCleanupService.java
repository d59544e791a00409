package dev.grove.orchestrator.project;

import dev.grove.actions.provider.ImageRegistry;
import dev.grove.actions.registry.cleanup.ImageCleanup;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionType;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.api.cleanup.CleanupImagesRequest;
import dev.grove.api.cleanup.CleanupImagesResult;
import dev.grove.api.cleanup.CleanupImagesResult.ImageCleanupInfo;
import dev.grove.api.error.ErrorCodes;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.error.NamedSelection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code grove cleanup images}: finds the image repositories of the project's container Builds (as
 * their {@code deploymentImageName} output names them) and cleans each once. Blocking: run it on a
 * worker pool.
 */
public final class ImageCleanupService {
  private final ProjectService projects;
  private final ImageCleanup cleanup;

  public ImageCleanupService(ProjectService projects, ImageCleanup cleanup) {
    this.projects = projects;
    this.cleanup = cleanup;
  }

  public CleanupImagesResult cleanup(CleanupImagesRequest request) {
    LoadedProject project = projects.load(request.project());
    Optional<ImageRegistry> registry = project.project().registry();
    if (registry.isEmpty()) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST,
          "The project has no deploymentRegistry, so there are no pushed images to clean up"
              + " (local builds are archives under .grove/images/).",
          "Set the kubernetes provider's deploymentRegistry, or delete .grove/images/ by hand.");
    }
    Map<String, Repo> repos = new LinkedHashMap<>();
    for (LoadedProject.ResolvedAction action : builds(project, request.names())) {
      ActionRef ref = action.config().ref();
      Map<String, Object> outputs =
          action
              .config()
              .handler()
              .staticOutputs(
                  new ActionType.OutputContext(
                      ref.name(), action.spec(), action.version(), registry));
      String name = String.valueOf(outputs.get("deploymentImageName"));
      Repo repo =
          repos.computeIfAbsent(name, n -> new Repo(new ArrayList<>(), new LinkedHashSet<>()));
      repo.builds().add(ref.name());
      repo.current().add(action.version());
    }
    String host = registry.get().host();
    List<ImageCleanupInfo> images = new ArrayList<>();
    for (Map.Entry<String, Repo> entry : repos.entrySet()) {
      String image = entry.getKey();
      String repository = image.startsWith(host + "/") ? image.substring(host.length() + 1) : image;
      ImageCleanup.Target target =
          new ImageCleanup.Target(
              host,
              repository,
              registry.get().insecure(),
              entry.getValue().current(),
              project.project().root(),
              request.project().env());
      ImageCleanup.Result result;
      try {
        result =
            request.dryRun()
                ? cleanup.plan(target, request.keep())
                : cleanup.delete(
                    target,
                    request.keep(),
                    Set.copyOf(request.confirmed().getOrDefault(image, List.of())));
      } catch (ActionException e) {
        throw new GroveException(e.code(), e.getMessage(), e.suggestion());
      }
      images.add(
          new ImageCleanupInfo(
              entry.getValue().builds(),
              result.image(),
              result.delete(),
              result.keep(),
              result.notes()));
    }
    return new CleanupImagesResult(request.dryRun(), images);
  }

  private record Repo(List<String> builds, Set<String> current) {}

  private static List<LoadedProject.ResolvedAction> builds(
      LoadedProject project, List<String> names) {
    List<LoadedProject.ResolvedAction> containers = new ArrayList<>();
    for (LoadedProject.ResolvedAction action : project.actions().values()) {
      if (action.config().ref().kind() == ActionKind.BUILD
          && action.config().type().equals("container")) {
        containers.add(action);
      }
    }
    return NamedSelection.pick(
        containers,
        a -> a.config().ref().name(),
        names,
        "build.",
        "container Build",
        "container Builds");
  }
}
