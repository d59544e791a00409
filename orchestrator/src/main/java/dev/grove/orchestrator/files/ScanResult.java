package dev.grove.orchestrator.files;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The files of one scan, sorted by path. Because sorted paths sharing a prefix are contiguous,
 * {@link #under(String)} is a binary search and a sublist view, cheap enough to call once per
 * action on large trees. Immutable and thread-safe.
 */
public final class ScanResult {
  private static final Comparator<FileEntry> BY_PATH = Comparator.comparing(FileEntry::path);

  /**
   * Something a scan saw that it does not list as a file.
   *
   * @param path relative to the scanned root, '/' separated
   * @param detail why it could not be read ("permission denied"); "" for the other kinds
   */
  public record NonFile(String path, Kind kind, String detail) {
    public NonFile {
      detail = detail == null ? "" : detail;
    }

    NonFile(String path, Kind kind) {
      this(path, kind, "");
    }
  }

  /** What a {@link NonFile} is. */
  public enum Kind {
    /** A folder the scan walked into. */
    FOLDER,
    /** A FIFO, device or socket: never opened, never hashed. */
    SPECIAL,
    /** A folder or ignore file the scan could not read, e.g. for want of permission. */
    UNREADABLE
  }

  private static final Comparator<NonFile> NON_FILE_BY_PATH = Comparator.comparing(NonFile::path);

  private final ImmutableList<FileEntry> entries;
  private final ImmutableList<NonFile> nonFiles;
  private final String[] paths;

  private ScanResult(ImmutableList<FileEntry> sorted, ImmutableList<NonFile> nonFiles) {
    this.entries = sorted;
    this.nonFiles = nonFiles;
    this.paths = new String[sorted.size()];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = sorted.get(i).path();
    }
    for (int i = 1; i < paths.length; i++) {
      if (paths[i].equals(paths[i - 1])) {
        throw new IllegalArgumentException("Duplicate file path in scan result: " + paths[i]);
      }
    }
  }

  /** A result holding these entries, in any order. */
  public static ScanResult of(Collection<FileEntry> entries) {
    return of(entries, List.of());
  }

  /** A result holding these files and what else the scan saw, in any order. */
  public static ScanResult of(Collection<FileEntry> entries, Collection<NonFile> nonFiles) {
    return new ScanResult(
        ImmutableList.sortedCopyOf(BY_PATH, entries),
        ImmutableList.sortedCopyOf(NON_FILE_BY_PATH, nonFiles));
  }

  /**
   * The folders walked, the special files skipped and what could not be read, sorted by path: for a
   * loader to report a folder or a FIFO where it expects a file, or a folder it could not read.
   */
  public List<NonFile> nonFiles() {
    return nonFiles;
  }

  /** True when both scans saw the same files with the same stamps, and the same non-files. */
  public boolean sameAs(ScanResult other) {
    return entries.equals(other.entries) && nonFiles.equals(other.nonFiles);
  }

  /** All files, sorted by path. */
  public List<FileEntry> entries() {
    return entries;
  }

  public int size() {
    return entries.size();
  }

  /**
   * The files inside a folder (at any depth), sorted by path; all files for "" or ".".
   *
   * @param relativeDir relative to the scanned root, '/' separated; trailing '/' allowed
   */
  public List<FileEntry> under(String relativeDir) {
    String dir = relativeDir;
    while (dir.startsWith("./")) {
      dir = dir.substring(2);
    }
    while (dir.endsWith("/")) {
      dir = dir.substring(0, dir.length() - 1);
    }
    if (dir.isEmpty() || dir.equals(".")) {
      return entries;
    }
    // Paths starting with "dir/" sort between "dir/" and "dir0" ('0' follows '/').
    int from = lowerBound(dir + "/");
    int to = lowerBound(dir + "0");
    return entries.subList(from, to);
  }

  /** The file at this relative path, if the scan found it. */
  public Optional<FileEntry> find(String relativePath) {
    int i = Arrays.binarySearch(paths, relativePath);
    return i >= 0 ? Optional.of(entries.get(i)) : Optional.empty();
  }

  private int lowerBound(String key) {
    int i = Arrays.binarySearch(paths, key);
    return i >= 0 ? i : -i - 1;
  }

  @Override
  public String toString() {
    return "ScanResult[" + entries.size() + " files]";
  }
}
