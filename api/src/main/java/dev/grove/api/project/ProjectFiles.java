package dev.grove.api.project;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which file of a folder holds the project: {@code project.garden.yml} (or {@code .yaml}), else —
 * as Garden also accepts — a {@code garden.yml} or {@code *.garden.yml} there with a {@code kind:
 * Project} document. Shared by the CLI (finding the root) and the daemon (loading it).
 */
public final class ProjectFiles {
  public static final List<String> PREFERRED = List.of("project.garden.yml", "project.garden.yaml");
  private static final Pattern PROJECT_KIND =
      Pattern.compile("(?m)^kind:\\s*[\"']?Project[\"']?\\s*(#.*)?$");

  private ProjectFiles() {}

  /**
   * The project file of {@code dir}, if it is a project root. A {@code project.garden.yml} that is
   * not a readable regular file (a folder, a FIFO, a link to a device, unreadable) still makes the
   * folder the root, for the loader to say what is wrong with it; the other candidates are read
   * safely ({@link UserFiles}) and skipped when they cannot be.
   */
  public static Optional<Path> find(Path dir) {
    for (String name : PREFERRED) {
      Path file = dir.resolve(name);
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(file);
      }
    }
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(dir, "{garden.yml,garden.yaml,*.garden.yml,*.garden.yaml}")) {
      files.forEach(candidates::add);
    } catch (IOException e) {
      return Optional.empty();
    }
    candidates.sort(null);
    for (Path file : candidates) {
      try {
        if (PROJECT_KIND.matcher(UserFiles.readText(file)).find()) {
          return Optional.of(file);
        }
      } catch (IOException e) {
        // Not a readable regular file: not the project file (the loader reports it).
      }
    }
    return Optional.empty();
  }

  /** The nearest folder from {@code start} upward that is a project root. */
  public static Optional<Path> rootAbove(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (find(dir).isPresent()) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }
}
