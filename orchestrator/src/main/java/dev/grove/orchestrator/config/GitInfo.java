package dev.grove.orchestrator.config;

import dev.grove.api.project.UserFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ${git.branch}}, {@code ${git.commitHash}}, {@code ${git.originUrl}}, read from the {@code
 * .git} folder directly (no git process: a load must stay fast), through {@link UserFiles} so a
 * FIFO or device there cannot block a load.
 */
final class GitInfo {
  private GitInfo() {}

  static Map<String, Object> read(Path root) {
    Map<String, Object> git = new LinkedHashMap<>();
    git.put("branch", "");
    git.put("commitHash", "");
    git.put("originUrl", "");
    Path dir = root.toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve(".git"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      return git;
    }
    Path gitDir = dir.resolve(".git");
    try {
      String head = UserFiles.readText(gitDir.resolve("HEAD")).strip();
      if (head.startsWith("ref: ")) {
        String ref = head.substring(5);
        git.put("branch", ref.startsWith("refs/heads/") ? ref.substring(11) : ref);
        git.put("commitHash", resolveRef(gitDir, ref));
      } else {
        git.put("commitHash", head);
      }
      Path config = gitDir.resolve("config");
      if (Files.isRegularFile(config)) {
        boolean inOrigin = false;
        for (String line : UserFiles.readText(config).lines().toList()) {
          String trimmed = line.strip();
          if (trimmed.startsWith("[")) {
            inOrigin = trimmed.equals("[remote \"origin\"]");
          } else if (inOrigin && trimmed.startsWith("url")) {
            int eq = trimmed.indexOf('=');
            if (eq > 0) {
              git.put("originUrl", trimmed.substring(eq + 1).strip());
            }
          }
        }
      }
    } catch (IOException e) {
      // Not a usable repository: the git values stay empty, as Garden's do outside git.
    }
    return git;
  }

  private static String resolveRef(Path gitDir, String ref) throws IOException {
    Path loose = gitDir.resolve(ref);
    if (Files.isRegularFile(loose)) {
      return UserFiles.readText(loose).strip();
    }
    Path packed = gitDir.resolve("packed-refs");
    if (Files.isRegularFile(packed)) {
      for (String line : UserFiles.readText(packed).lines().toList()) {
        if (line.endsWith(" " + ref)) {
          return line.substring(0, line.indexOf(' '));
        }
      }
    }
    return "";
  }
}
