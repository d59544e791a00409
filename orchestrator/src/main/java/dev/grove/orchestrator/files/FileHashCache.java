package dev.grove.orchestrator.files;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SHA-256 of file contents, re-read only when a file's (size, modified time) stamp changes.
 * Thread-safe; two threads missing on the same file at once may both read it, which is harmless.
 * Blocking I/O: call it on a worker pool.
 */
public final class FileHashCache {
  private static final int BUFFER_SIZE = 64 * 1024;
  private static final ThreadLocal<byte[]> BUFFER =
      ThreadLocal.withInitial(() -> new byte[BUFFER_SIZE]);

  private record Cached(long size, long modifiedNanos, String hash) {}

  private final ConcurrentHashMap<Path, Cached> cache = new ConcurrentHashMap<>();
  private final AtomicLong reads = new AtomicLong();

  /**
   * The hex SHA-256 of the file's content, or for a symbolic link of its target path (as git does),
   * so a link to a folder hashes too.
   */
  public String hash(Path root, FileEntry entry) throws IOException {
    Path file = root.resolve(entry.path()).toAbsolutePath().normalize();
    Cached cached = cache.get(file);
    if (cached != null
        && cached.size() == entry.size()
        && cached.modifiedNanos() == entry.modifiedNanos()) {
      return cached.hash();
    }
    String hash = read(file);
    cache.put(file, new Cached(entry.size(), entry.modifiedNanos(), hash));
    return hash;
  }

  private String read(Path file) throws IOException {
    reads.incrementAndGet();
    MessageDigest digest = sha256();
    BasicFileAttributes attrs =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attrs.isSymbolicLink()) {
      digest.update(Files.readSymbolicLink(file).toString().getBytes(UTF_8));
    } else if (!attrs.isRegularFile()) {
      // Became a FIFO, device or folder since the scan: opening it could block or never end.
      digest.update(("\0not a regular file").getBytes(UTF_8));
    } else {
      byte[] buffer = BUFFER.get();
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          digest.update(buffer, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK provides SHA-256", e);
    }
  }

  /** How many times a file was actually read since this cache was created. */
  public long reads() {
    return reads.get();
  }

  /** How many files have a cached hash. */
  public int size() {
    return cache.size();
  }

  /** Forgets every file not in {@code root} + {@code entries}, e.g. after a rescan. */
  public void retainOnly(Path root, Collection<FileEntry> entries) {
    Path base = root.toAbsolutePath().normalize();
    Set<Path> keep = new HashSet<>();
    for (FileEntry entry : entries) {
      keep.add(base.resolve(entry.path()).normalize());
    }
    retainOnly(keep);
  }

  /** Forgets every file not in {@code files}. */
  public void retainOnly(Collection<Path> files) {
    Set<Path> keep = new HashSet<>();
    for (Path file : files) {
      keep.add(file.toAbsolutePath().normalize());
    }
    cache.keySet().retainAll(keep);
  }
}
