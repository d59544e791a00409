package dev.grove.orchestrator.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileScannerTest {
  private static final List<String> IGNORE_FILES = List.of(".gardenignore", ".gitignore");

  @TempDir Path root;

  private void write(String relativePath, String content) throws IOException {
    Path file = root.resolve(relativePath);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private List<String> scannedPaths() throws IOException {
    return FileScanner.scan(root, IGNORE_FILES).entries().stream().map(FileEntry::path).toList();
  }

  @Test
  void listsFilesSortedByRelativePathWithSlashes() throws IOException {
    write("b.txt", "b");
    write("a/z.txt", "z");
    write("a/b/c.txt", "c");
    write("a-b.txt", "ab");

    assertThat(scannedPaths()).containsExactly("a-b.txt", "a/b/c.txt", "a/z.txt", "b.txt");
  }

  @Test
  void recordsSizeAndModificationTime() throws IOException {
    write("f.txt", "12345");
    FileTime time = FileTime.from(1_700_000_000_123L, TimeUnit.MILLISECONDS);
    Files.setLastModifiedTime(root.resolve("f.txt"), time);

    FileEntry entry = FileScanner.scan(root, IGNORE_FILES).find("f.txt").orElseThrow();

    assertThat(entry.size()).isEqualTo(5);
    assertThat(entry.modifiedNanos()).isEqualTo(time.to(TimeUnit.NANOSECONDS));
  }

  @Test
  void neverLooksIntoToolFolders() throws IOException {
    write(".git/HEAD", "ref");
    write(".garden/cache.json", "{}");
    write(".grove/state", "s");
    write("sub/.git/config", "c");
    write("sub/keep.txt", "k");

    assertThat(scannedPaths()).containsExactly("sub/keep.txt");
  }

  @Test
  void skipsIgnoredFilesAndFolders() throws IOException {
    write(".gardenignore", "node_modules\n*.log\n");
    write(".gitignore", "/dist/\n");
    write("node_modules/lib/index.js", "x");
    write("app/node_modules/x.js", "x");
    write("dist/bundle.js", "x");
    write("app/dist/kept.js", "x");
    write("debug.log", "x");
    write("app/main.js", "x");

    assertThat(scannedPaths())
        .containsExactly(".gardenignore", ".gitignore", "app/dist/kept.js", "app/main.js");
  }

  @Test
  void nestedIgnoreFileAppliesBelowItsFolderAndOverridesParents() throws IOException {
    write(".gitignore", "*.tmp\n");
    write("a.tmp", "x");
    write("svc/.gitignore", "!keep.tmp\n/generated\n");
    write("svc/keep.tmp", "x");
    write("svc/drop.tmp", "x");
    write("svc/generated/G.java", "x");
    write("svc/src/generated/H.java", "x");
    write("other/generated/I.java", "x");

    assertThat(scannedPaths())
        .containsExactly(
            ".gitignore",
            "other/generated/I.java",
            "svc/.gitignore",
            "svc/keep.tmp",
            "svc/src/generated/H.java");
  }

  @Test
  void fileInsideIgnoredFolderCannotBeReincluded() throws IOException {
    write(".gitignore", "build/\n!build/keep.txt\n");
    write("build/keep.txt", "x");

    assertThat(scannedPaths()).containsExactly(".gitignore");
  }

  @Test
  void onlyTheGivenIgnoreFileNamesCount() throws IOException {
    write(".dockerignore", "*.txt\n");
    write("a.txt", "x");

    assertThat(FileScanner.scan(root, List.of()).entries()).hasSize(2);
    assertThat(FileScanner.scan(root, List.of(".dockerignore")).entries())
        .extracting(FileEntry::path)
        .containsExactly(".dockerignore");
  }

  @Test
  void symlinkedFolderIsListedAsALinkNotFollowed() throws IOException {
    write("real/a.txt", "a");
    Files.createSymbolicLink(root.resolve("link"), root.resolve("real"));

    assertThat(scannedPaths()).containsExactly("link", "real/a.txt");
  }

  /**
   * An unreadable folder is not left out without a word: the scan lists it for the loader to
   * report. Root reads every folder whatever its mode, so as root the same walker is driven with
   * the failure the JDK reports for such a folder (an AccessDeniedException on opening it).
   */
  @Test
  void unreadableFolderIsListedAsUnreadable() throws IOException {
    write("locked/secret.txt", "x");
    write("open.txt", "x");
    Path locked = root.resolve("locked");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    ScanResult scan;
    try {
      if (Files.isReadable(locked)) {
        // root: inject the failure into the same walker the scan uses
        FileScanner.Walker walker = new FileScanner.Walker(root, IGNORE_FILES);
        walker.preVisitDirectory(
            root, Files.readAttributes(root, java.nio.file.attribute.BasicFileAttributes.class));
        walker.visitFile(
            root.resolve("open.txt"),
            Files.readAttributes(
                root.resolve("open.txt"), java.nio.file.attribute.BasicFileAttributes.class));
        walker.visitFileFailed(locked, new java.nio.file.AccessDeniedException(locked.toString()));
        walker.postVisitDirectory(root, null);
        scan = walker.result();
      } else {
        scan = FileScanner.scan(root, IGNORE_FILES);
      }
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }
    assertThat(scan.entries()).extracting(FileEntry::path).containsExactly("open.txt");
    assertThat(scan.nonFiles())
        .containsExactly(
            new ScanResult.NonFile("locked", ScanResult.Kind.UNREADABLE, "permission denied"));
  }

  @Test
  void anUnreadableIgnoreFileIsListedAsUnreadable() throws IOException {
    write("svc/a.txt", "x");
    // a real EACCES even for root: procfs checks the mode bits of this write-only file for root too
    Files.createSymbolicLink(
        root.resolve("svc/.gitignore"), Path.of("/proc/sys/vm/compact_memory"));
    ScanResult scan = FileScanner.scan(root, IGNORE_FILES);
    assertThat(scan.nonFiles())
        .contains(
            new ScanResult.NonFile(
                "svc/.gitignore", ScanResult.Kind.UNREADABLE, "permission denied"));
  }

  @Test
  void specialFilesAreNeverListedAsFiles() throws Exception {
    write("svc/a.txt", "x");
    mkfifo(root.resolve("svc/pipe.garden.yml"));
    ScanResult scan = FileScanner.scan(root, IGNORE_FILES);
    assertThat(scan.entries()).extracting(FileEntry::path).containsExactly("svc/a.txt");
    assertThat(scan.nonFiles())
        .containsExactly(
            new ScanResult.NonFile("svc", ScanResult.Kind.FOLDER, ""),
            new ScanResult.NonFile("svc/pipe.garden.yml", ScanResult.Kind.SPECIAL, ""));
  }

  static void mkfifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).as("mkfifo ends").isTrue();
    assertThat(mkfifo.exitValue()).isZero();
  }

  @Test
  void missingRootFails() {
    assertThatThrownBy(() -> FileScanner.scan(root.resolve("nope"), IGNORE_FILES))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void underReturnsTheFilesInsideAFolderOnly() throws IOException {
    write("api/a.txt", "x");
    write("api/sub/b.txt", "x");
    write("api-gateway/c.txt", "x");
    write("api.txt", "x");
    write("apiary/d.txt", "x");
    ScanResult scan = FileScanner.scan(root, IGNORE_FILES);

    assertThat(scan.under("api"))
        .extracting(FileEntry::path)
        .containsExactly("api/a.txt", "api/sub/b.txt");
    assertThat(scan.under("./api/"))
        .extracting(FileEntry::path)
        .containsExactly("api/a.txt", "api/sub/b.txt");
    assertThat(scan.under("api/sub")).extracting(FileEntry::path).containsExactly("api/sub/b.txt");
    assertThat(scan.under("missing")).isEmpty();
    assertThat(scan.under("")).hasSize(5);
    assertThat(scan.under(".")).hasSize(5);
  }

  @Test
  void findLooksUpOneFile() throws IOException {
    write("a/b.txt", "x");
    ScanResult scan = FileScanner.scan(root, IGNORE_FILES);

    assertThat(scan.find("a/b.txt")).isPresent();
    assertThat(scan.find("a")).isEmpty();
  }

  @Test
  void scansTenThousandFilesQuickly() throws IOException {
    write(".gitignore", "*.log\nbuild/\n");
    for (int d = 0; d < 100; d++) {
      Path dir = Files.createDirectories(root.resolve("pkg" + d + "/src"));
      for (int f = 0; f < 100; f++) {
        Files.write(dir.resolve("F" + f + ".java"), new byte[0]);
      }
    }
    long best = Long.MAX_VALUE;
    ScanResult scan = null;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      scan = FileScanner.scan(root, IGNORE_FILES);
      best = Math.min(best, System.nanoTime() - start);
    }

    assertThat(scan.size()).isEqualTo(10_001);
    assertThat(scan.under("pkg42")).hasSize(100);
    // The target is well under 200 ms warm; the bound leaves room for a busy shared machine
    // (measured ~70 ms).
    assertThat(TimeUnit.NANOSECONDS.toMillis(best)).isLessThan(500);
  }

  /** After each change, updating the last scan from the changed paths gives what a walk gives. */
  @Test
  void updatingFromChangedPathsMatchesAWalk() throws IOException {
    write(".gardenignore", "*.log\nbuild/\n");
    write("svc/.gitignore", "secret.txt\n");
    write("svc/src/main.txt", "main");
    write("svc/build/out.bin", "ignored folder");
    write(".git/config", "skipped folder");
    write("docs/readme.md", "docs");
    ScanResult last = FileScanner.scan(root, IGNORE_FILES);

    record Step(String description, Runnable change, Set<String> changed) {}
    List<Step> steps =
        List.of(
            new Step(
                "modify", () -> rewrite("svc/src/main.txt", "main v2"), Set.of("svc/src/main.txt")),
            new Step("create", () -> rewrite("svc/src/new.txt", "new"), Set.of("svc/src/new.txt")),
            new Step(
                "ignored by pattern", () -> rewrite("svc/debug.log", "x"), Set.of("svc/debug.log")),
            new Step(
                "ignored by a nested file",
                () -> rewrite("svc/secret.txt", "x"),
                Set.of("svc/secret.txt")),
            new Step(
                "in an ignored folder",
                () -> rewrite("svc/build/more.bin", "x"),
                Set.of("svc/build/more.bin")),
            new Step("in a skipped folder", () -> rewrite(".git/HEAD", "x"), Set.of(".git/HEAD")),
            new Step("a new folder with files", () -> rewrite("api/src/a.txt", "a"), Set.of("api")),
            new Step("delete a file", () -> delete("docs/readme.md"), Set.of("docs/readme.md")),
            new Step("a FIFO", () -> fifo("docs/pipe"), Set.of("docs/pipe")),
            new Step("a folder named like a file", () -> rewrite("x.yml/a", "a"), Set.of("x.yml")),
            new Step("delete a folder", () -> delete("api"), Set.of("api")));
    for (Step step : steps) {
      step.change().run();
      ScanResult updated =
          FileScanner.update(root, last, step.changed(), IGNORE_FILES).orElseThrow();
      ScanResult walked = FileScanner.scan(root, IGNORE_FILES);
      assertThat(updated.entries()).as(step.description()).isEqualTo(walked.entries());
      assertThat(updated.nonFiles()).as(step.description()).isEqualTo(walked.nonFiles());
      assertThat(updated.sameAs(walked)).isTrue();
      last = updated;
    }
    // a changed ignore file: the caller walks
    assertThat(FileScanner.update(root, last, Set.of("svc/.gitignore"), IGNORE_FILES)).isEmpty();
  }

  private void rewrite(String relativePath, String content) {
    try {
      write(relativePath, content);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void fifo(String relativePath) {
    try {
      mkfifo(root.resolve(relativePath));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void delete(String relativePath) {
    try (java.util.stream.Stream<Path> files = Files.walk(root.resolve(relativePath))) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
