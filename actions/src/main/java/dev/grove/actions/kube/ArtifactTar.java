package dev.grove.actions.kube;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Artifacts out of a container, as Garden copies them: a shell script gathers each {@code source}
 * ({@code cp -r}, globs expanded by the container's shell) under its {@code target} in a scratch
 * folder and writes it as a tar to stdout; Grove unpacks that below the project's artifacts folder,
 * refusing entries that would land outside it.
 */
final class ArtifactTar {
  /** An empty file so that the tar is never empty (tar refuses to write nothing). */
  static final String PLACEHOLDER = ".grove-placeholder";

  private ArtifactTar() {}

  /** The script that writes the tar of {@code copies} to stdout. */
  static String script(List<PodRunner.Copy> copies) {
    String scratch = "/tmp/.grove-artifacts-" + UUID.randomUUID().toString().substring(0, 8);
    StringBuilder script = new StringBuilder();
    script.append("rm -rf ").append(scratch).append(" >/dev/null 2>&1\n");
    script.append("mkdir -p ").append(scratch).append(" && cd ").append(scratch);
    script.append(" || exit 1\n");
    script.append("touch ").append(PLACEHOLDER).append("\n");
    for (PodRunner.Copy copy : copies) {
      String target = quote(copy.target());
      script.append("mkdir -p ").append(target).append("\n");
      script
          .append("cp -r ")
          .append(glob(copy.source()))
          .append(" ")
          .append(target)
          .append(" >/dev/null 2>&1 || true\n");
    }
    script.append("tar -c -f - .\n");
    script.append("code=$?\n");
    script.append("cd / && rm -rf ").append(scratch).append(" >/dev/null 2>&1\n");
    script.append("exit $code\n");
    return script.toString();
  }

  /** {@code path} as one shell word: its glob characters ({@code * ? [ ]}) stay live. */
  static String glob(String path) {
    StringBuilder word = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : path.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']') {
        if (literal.length() > 0) {
          word.append(quote(literal.toString()));
          literal.setLength(0);
        }
        word.append(c);
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      word.append(quote(literal.toString()));
    }
    return word.toString();
  }

  /** {@code text} single-quoted for sh. */
  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /**
   * Unpacks a tar into {@code root}: folders and regular files only (links and devices are
   * skipped), nothing outside {@code root}; answers how many files it wrote.
   */
  static int extract(InputStream tar, Path root) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    Files.createDirectories(base);
    int files = 0;
    try (TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        String name = entry.getName();
        Path target = base.resolve(name).normalize();
        if (!target.startsWith(base) || Path.of(name).isAbsolute()) {
          throw new IOException("the container's tar holds a path outside its folder: " + name);
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (regular(entry)) {
          if (target.getFileName().toString().equals(PLACEHOLDER)
              && target.getParent().equals(base)) {
            continue;
          }
          Files.createDirectories(target.getParent());
          if (Files.isSymbolicLink(target)) {
            Files.delete(target); // never write through a link left by an earlier copy
          }
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          files++;
        }
      }
    }
    return files;
  }

  /** A regular file's entry (commons-compress's isFile also answers true for links and devices). */
  private static boolean regular(TarArchiveEntry entry) {
    byte flag = entry.getLinkFlag();
    return flag == TarArchiveEntry.LF_NORMAL
        || flag == TarArchiveEntry.LF_OLDNORM
        || flag == TarArchiveEntry.LF_CONTIG;
  }
}
