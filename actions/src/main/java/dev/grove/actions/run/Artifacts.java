package dev.grove.actions.run;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Test's or Run's {@code artifacts}, as Garden's exec provider copies them: each {@code source}
 * (a path or glob relative to the action's folder) is copied, keeping its path below that folder,
 * into {@code .grove/artifacts/<target>} of the project ({@code target} defaults to the folder
 * itself, Garden's {@code .garden/artifacts}).
 *
 * @param source a path or glob, relative to the action's folder
 * @param target a folder below {@code .grove/artifacts}
 */
public record Artifacts(String source, String target) {

  /** The spec's {@code artifacts}: a list of {@code {source, target}}. */
  public static List<Artifacts> parse(Map<String, Object> spec, String action)
      throws ActionException {
    return parse(spec, action, false);
  }

  /**
   * The {@code artifacts} of an action that runs in a container: each {@code source} an absolute
   * path or glob in the container (as in Garden), each {@code target} below .grove/artifacts.
   */
  public static List<Artifacts> inContainer(Map<String, Object> spec, String action)
      throws ActionException {
    return parse(spec, action, true);
  }

  private static List<Artifacts> parse(Map<String, Object> spec, String action, boolean container)
      throws ActionException {
    Object value = spec.get("artifacts");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw invalid(action, "spec.artifacts is not a list");
    }
    List<Artifacts> artifacts = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "spec.artifacts[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> item) || !(item.get("source") instanceof String s)) {
        throw invalid(action, at + " needs a `source` (a path or glob in the action's folder)");
      }
      Object t = item.get("target");
      String target = t == null ? "." : String.valueOf(t);
      if (container && !s.startsWith("/")) {
        throw new ActionException(
            ActionCodes.INVALID_SPEC,
            action + ": " + at + ".source `" + s + "` is not an absolute path in the container.",
            "Write it from the container's root, such as /app/reports/*.xml (as Garden requires).");
      }
      if ((!container && escapes(s))
          || escapes(target)
          || (!container && Path.of(s).isAbsolute())
          || Path.of(target).isAbsolute()) {
        throw invalid(
            action,
            at
                + " (`"
                + s
                + "` → `"
                + target
                + "`) leaves its folder: both are relative paths"
                + " without `..`");
      }
      artifacts.add(new Artifacts(s, target));
    }
    return List.copyOf(artifacts);
  }

  private static boolean escapes(String path) {
    for (String part : path.split("[/\\\\]")) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static ActionException invalid(String action, String what) {
    return new ActionException(
        ActionCodes.INVALID_SPEC,
        action + ": " + what + ".",
        "Write artifacts as [{source: \"reports/**/*\", target: unit}]: source relative to the"
            + " action's folder, target below .grove/artifacts.");
  }

  /** Where the project's artifacts go. */
  public static Path root(Path projectRoot) {
    return projectRoot.resolve(".grove").resolve("artifacts");
  }

  /**
   * Copies the files {@code artifacts} name from the action's folder; answers how many. A source
   * that matches nothing copies nothing (as Garden).
   */
  public static int copy(ActionContext ctx, List<Artifacts> artifacts) throws IOException {
    int copied = 0;
    Path from = ctx.sourceDir();
    for (Artifacts artifact : artifacts) {
      Path to = root(ctx.projectRoot()).resolve(artifact.target()).normalize();
      String pattern =
          artifact.source().startsWith("./") ? artifact.source().substring(2) : artifact.source();
      PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      List<Path> matches = new ArrayList<>();
      Files.walkFileTree(
          from,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
              return !dir.equals(from) && (name.equals(".git") || name.equals(".grove"))
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              Path relative = from.relativize(file);
              if (attrs.isRegularFile() && glob.matches(relative)) {
                matches.add(relative);
              }
              return FileVisitResult.CONTINUE;
            }
          });
      for (Path relative : matches) {
        Path target = to.resolve(relative.toString());
        Files.createDirectories(target.getParent());
        Files.copy(from.resolve(relative), target, StandardCopyOption.REPLACE_EXISTING);
        copied++;
      }
    }
    return copied;
  }
}
