package dev.grove.orchestrator.files;

import static java.util.Objects.requireNonNull;

/**
 * A file found by a scan.
 *
 * @param path relative to the scanned root, with '/' separators
 * @param size in bytes (of the link itself for a symbolic link)
 * @param modifiedNanos last-modified time in nanoseconds since the epoch
 */
public record FileEntry(String path, long size, long modifiedNanos) {
  public FileEntry {
    requireNonNull(path, "path");
    if (path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0) {
      throw new IllegalArgumentException(
          "FileEntry path '" + path + "' must be relative with '/' separators");
    }
    if (size < 0) {
      throw new IllegalArgumentException("FileEntry size must not be negative: " + size);
    }
  }

  /** Whether the content may have changed: size or modification time differ. */
  public boolean sameStamp(FileEntry other) {
    return size == other.size && modifiedNanos == other.modifiedNanos;
  }
}
