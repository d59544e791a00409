package dev.grove.orchestrator.files;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.collect.ImmutableSet;
import dev.grove.api.project.UserFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
   * stamp). Folders, special files (never opened) and folders that cannot be read are in {@link
   * ScanResult#nonFiles()}.
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
    return ScanResult.of(walker.entries, walker.nonFiles);
  }

  /**
   * The scan {@code previous} would be after these paths changed (created, modified or deleted),
   * without walking the tree: each path is looked at alone, with the ignore rules of its folders
   * read along the way. A path that is now a folder brings its files (a walk of that folder); a
   * path gone takes everything under it. Answers empty when an ignore file changed (the caller
   * walks the tree).
   *
   * @param changed paths relative to {@code root}, {@code /} separated
   */
  public static Optional<ScanResult> update(
      Path root, ScanResult previous, Set<String> changed, List<String> ignoreFileNames)
      throws IOException {
    Map<String, FileEntry> entries = new TreeMap<>();
    for (FileEntry entry : previous.entries()) {
      entries.put(entry.path(), entry);
    }
    Map<String, ScanResult.NonFile> nonFiles = new TreeMap<>();
    for (ScanResult.NonFile nonFile : previous.nonFiles()) {
      nonFiles.put(nonFile.path(), nonFile);
    }
    for (String path : changed) {
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (ignoreFileNames.contains(name) || path.isEmpty() || path.equals("*")) {
        return Optional.empty(); // new rules, or anything may have changed: walk
      }
      entries.remove(path);
      entries.keySet().removeIf(p -> p.startsWith(path + "/"));
      nonFiles.remove(path);
      nonFiles.keySet().removeIf(p -> p.startsWith(path + "/"));
      Optional<IgnoreRules> rules = rulesFor(root, path, ignoreFileNames);
      if (rules.isEmpty()) {
        continue; // in a skipped or ignored folder
      }
      Path file = root.resolve(path);
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException gone) {
        continue;
      }
      if (attrs.isDirectory()) {
        if (!SKIPPED_DIRS.contains(name) && !rules.get().ignoresEntry(path, name, true)) {
          Walker walker = new Walker(root, List.copyOf(ignoreFileNames));
          walker.startAt(path, rules.get());
          Files.walkFileTree(file, walker);
          walker.entries.forEach(entry -> entries.put(entry.path(), entry));
          walker.nonFiles.forEach(nonFile -> nonFiles.put(nonFile.path(), nonFile));
        }
      } else if ((attrs.isRegularFile() || attrs.isSymbolicLink())
          && !rules.get().ignoresEntry(path, name, false)) {
        entries.put(
            path,
            new FileEntry(path, attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
      } else if (attrs.isOther() && !rules.get().ignoresEntry(path, name, false)) {
        nonFiles.put(path, new ScanResult.NonFile(path, ScanResult.Kind.SPECIAL));
      }
    }
    return Optional.of(ScanResult.of(entries.values(), nonFiles.values()));
  }

  /**
   * The folders a scan would walk into, from {@code start} (relative to {@code root}; "" for the
   * root) down: none when {@code start} itself is skipped or ignored. For a file watcher, which
   * then never watches {@code .git}, {@code node_modules} or whatever else the ignore files leave
   * out.
   */
  public static List<Path> folders(Path root, String start, List<String> ignoreFileNames)
      throws IOException {
    IgnoreRules rules;
    if (start.isEmpty()) {
      rules = readIgnoreFiles(root, "", IgnoreRules.EMPTY, ignoreFileNames);
    } else {
      Optional<IgnoreRules> parent = rulesFor(root, start, ignoreFileNames);
      String name = start.substring(start.lastIndexOf('/') + 1);
      if (parent.isEmpty()
          || SKIPPED_DIRS.contains(name)
          || parent.get().ignoresEntry(start, name, true)) {
        return List.of();
      }
      rules = readIgnoreFiles(root.resolve(start), start, parent.get(), ignoreFileNames);
    }
    List<Path> folders = new ArrayList<>();
    ArrayDeque<Frame> stack = new ArrayDeque<>();
    IgnoreRules startRules = rules;
    Files.walkFileTree(
        root.resolve(start),
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            Frame parent = stack.peek();
            if (parent == null) {
              stack.push(new Frame(start.isEmpty() ? "" : start + "/", startRules));
              folders.add(dir);
              return FileVisitResult.CONTINUE;
            }
            String name = dir.getFileName().toString();
            String rel = parent.prefix() + name;
            if (SKIPPED_DIRS.contains(name) || parent.rules().ignoresEntry(rel, name, true)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            stack.push(
                new Frame(rel + "/", readIgnoreFiles(dir, rel, parent.rules(), ignoreFileNames)));
            folders.add(dir);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
            stack.pop();
            return FileVisitResult.CONTINUE;
          }
        });
    return folders;
  }

  /**
   * The rules that apply to an entry of this path's folder, as a walk would have them when it got
   * there; empty when a folder on the way is skipped or ignored (the walk never gets there).
   */
  private static Optional<IgnoreRules> rulesFor(Path root, String path, List<String> ignoreFiles) {
    IgnoreRules rules = readIgnoreFiles(root, "", IgnoreRules.EMPTY, ignoreFiles);
    String[] parts = path.split("/");
    String rel = "";
    for (int i = 0; i < parts.length - 1; i++) {
      String name = parts[i];
      rel = rel.isEmpty() ? name : rel + "/" + name;
      if (SKIPPED_DIRS.contains(name) || rules.ignoresEntry(rel, name, true)) {
        return Optional.empty();
      }
      rules = readIgnoreFiles(root.resolve(rel), rel, rules, ignoreFiles);
    }
    return Optional.of(rules);
  }

  /** The folder being walked: its path prefix and the rules that apply inside it. */
  private record Frame(String prefix, IgnoreRules rules) {}

  static final class Walker extends SimpleFileVisitor<Path> {
    private final Path root;
    private final List<String> ignoreFileNames;
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();
    private final List<FileEntry> entries = new ArrayList<>();
    private final List<ScanResult.NonFile> nonFiles = new ArrayList<>();

    Walker(Path root, List<String> ignoreFileNames) {
      this.root = root;
      this.ignoreFileNames = ignoreFileNames;
    }

    /** Walks the folder {@code rel} (not the root), under the rules of its parent folder. */
    void startAt(String rel, IgnoreRules parentRules) {
      this.startRel = rel;
      this.startRules = parentRules;
    }

    private String startRel;
    private IgnoreRules startRules;

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      Frame parent = stack.peek();
      if (parent == null) {
        if (startRel != null) {
          nonFiles.add(new ScanResult.NonFile(startRel, ScanResult.Kind.FOLDER));
        }
        stack.push(
            startRel == null
                ? new Frame(
                    "", readIgnoreFiles(dir, "", IgnoreRules.EMPTY, ignoreFileNames, nonFiles))
                : new Frame(
                    startRel + "/",
                    readIgnoreFiles(dir, startRel, startRules, ignoreFileNames, nonFiles)));
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
      nonFiles.add(new ScanResult.NonFile(rel, ScanResult.Kind.FOLDER));
      stack.push(
          new Frame(
              rel + "/", readIgnoreFiles(dir, rel, parent.rules(), ignoreFileNames, nonFiles)));
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
      if (!attrs.isRegularFile() && !attrs.isSymbolicLink() && !attrs.isOther()) {
        return FileVisitResult.CONTINUE;
      }
      Frame parent = stack.peek();
      if (parent == null) {
        return FileVisitResult.CONTINUE;
      }
      String name = file.getFileName().toString();
      String rel = parent.prefix() + name;
      if (parent.rules().ignoresEntry(rel, name, false)) {
        return FileVisitResult.CONTINUE;
      }
      if (attrs.isOther()) {
        // A FIFO, device or socket: opening or hashing it could block or never end.
        nonFiles.add(new ScanResult.NonFile(rel, ScanResult.Kind.SPECIAL));
      } else {
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
      if (exc instanceof NoSuchFileException) {
        return FileVisitResult.CONTINUE; // gone mid-walk
      }
      // An unreadable folder is listed as such (the loader reports it) rather than failing the
      // scan or leaving its files out without a word.
      Frame parent = stack.peek();
      String name = file.getFileName().toString();
      String rel = parent == null ? startRel : parent.prefix() + name;
      if (rel != null
          && (parent == null
              || !SKIPPED_DIRS.contains(name) && !parent.rules().ignoresEntry(rel, name, true))) {
        nonFiles.add(new ScanResult.NonFile(rel, ScanResult.Kind.UNREADABLE, reason(exc)));
      }
      return FileVisitResult.CONTINUE;
    }

    /** What this walk found (for tests that inject a failure). */
    ScanResult result() {
      return ScanResult.of(entries, nonFiles);
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
      stack.pop();
      return FileVisitResult.CONTINUE;
    }
  }

  /** Why an entry could not be read, in a few words. */
  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static IgnoreRules readIgnoreFiles(
      Path dir, String rel, IgnoreRules inherited, List<String> ignoreFileNames) {
    return readIgnoreFiles(dir, rel, inherited, ignoreFileNames, null);
  }

  /**
   * The rules of the folder's ignore files on top of {@code inherited}. An ignore file that cannot
   * be read (or is over {@link UserFiles#MAX_BYTES}) gives no rules and, when {@code unreadable} is
   * given, is added to it.
   */
  private static IgnoreRules readIgnoreFiles(
      Path dir,
      String rel,
      IgnoreRules inherited,
      List<String> ignoreFileNames,
      List<ScanResult.NonFile> unreadable) {
    IgnoreRules rules = inherited;
    for (String fileName : ignoreFileNames) {
      Path file = dir.resolve(fileName);
      // java.io's check answers "absent" (the common case) without the cost of an exception,
      // which dominated scans when every folder threw one per ignore-file name.
      if (!file.toFile().isFile()) {
        continue;
      }
      String text;
      try {
        text = new String(UserFiles.readBytes(file, UserFiles.MAX_BYTES), UTF_8);
      } catch (UserFiles.UnreadableException e) {
        if (unreadable != null) {
          String path = rel.isEmpty() ? fileName : rel + "/" + fileName;
          unreadable.add(new ScanResult.NonFile(path, ScanResult.Kind.UNREADABLE, e.getMessage()));
        }
        continue; // no rules from it
      }
      rules = rules.then(IgnoreRules.parse(rel, text.lines().toList()));
    }
    return rules;
  }
}
