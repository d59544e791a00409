package dev.grove.orchestrator.files;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.collect.ImmutableSet;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lists the files of a project tree in one walk, honouring ignore files found in any folder.
 * Blocking I/O: call it on a worker pool.
 */
public final class FileScanner {
  /** Tool folders never looked into, at any depth. */
  static final ImmutableSet<String> SKIPPED_DIRS = ImmutableSet.of(".git", ".garden", ".grove");

  private FileScanner() {}

  /**
   * Walks {@code root} without following symbolic links (a link is listed as a file with its own
   * stamp). Folders that cannot be read are skipped.
   *
   * @param ignoreFileNames names of ignore files, e.g. {@code .gardenignore}; within one folder a
   *     later name's rules win
   * @throws IOException if {@code root} is not a readable folder
   */
  public static ScanResult scan(Path root, List<String> ignoreFileNames) throws IOException {
    if (!Files.isDirectory(root)) {
      throw Files.exists(root)
          ? new NotDirectoryException(root.toString())
          : new NoSuchFileException(root.toString());
    }
    Walker walker = new Walker(root, List.copyOf(ignoreFileNames));
    Files.walkFileTree(root, walker);
    return ScanResult.of(walker.entries);
  }

  /** The folder being walked: its path prefix and the rules that apply inside it. */
  private record Frame(String prefix, IgnoreRules rules) {}

  private static final class Walker extends SimpleFileVisitor<Path> {
    private final Path root;
    private final List<String> ignoreFileNames;
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();
    private final List<FileEntry> entries = new ArrayList<>();

    Walker(Path root, List<String> ignoreFileNames) {
      this.root = root;
      this.ignoreFileNames = ignoreFileNames;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      Frame parent = stack.peek();
      if (parent == null) {
        stack.push(new Frame("", readIgnoreFiles(dir, "", IgnoreRules.EMPTY)));
        return FileVisitResult.CONTINUE;
      }
      String name = dir.getFileName().toString();
      if (SKIPPED_DIRS.contains(name)) {
        return FileVisitResult.SKIP_SUBTREE;
      }
      String rel = parent.prefix() + name;
      if (parent.rules().ignoresEntry(rel, name, true)) {
        return FileVisitResult.SKIP_SUBTREE;
      }
      stack.push(new Frame(rel + "/", readIgnoreFiles(dir, rel, parent.rules())));
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
      if (!attrs.isRegularFile() && !attrs.isSymbolicLink()) {
        return FileVisitResult.CONTINUE;
      }
      Frame parent = stack.peek();
      if (parent == null) {
        return FileVisitResult.CONTINUE;
      }
      String name = file.getFileName().toString();
      String rel = parent.prefix() + name;
      if (!parent.rules().ignoresEntry(rel, name, false)) {
        entries.add(
            new FileEntry(rel, attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
      if (file.equals(root)) {
        throw exc;
      }
      // An unreadable folder or a file gone mid-walk is left out rather than failing the scan.
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
      stack.pop();
      return FileVisitResult.CONTINUE;
    }

    private IgnoreRules readIgnoreFiles(Path dir, String rel, IgnoreRules inherited) {
      IgnoreRules rules = inherited;
      for (String fileName : ignoreFileNames) {
        Path file = dir.resolve(fileName);
        // java.io's check answers "absent" (the common case) without the cost of an exception,
        // which dominated scans when every folder threw one per ignore-file name.
        if (!file.toFile().isFile()) {
          continue;
        }
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(file);
        } catch (IOException e) {
          continue; // unreadable: no rules from it
        }
        rules = rules.then(IgnoreRules.parse(rel, new String(bytes, UTF_8).lines().toList()));
      }
      return rules;
    }
  }
}
