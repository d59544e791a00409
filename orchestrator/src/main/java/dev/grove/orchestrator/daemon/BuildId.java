package dev.grove.orchestrator.daemon;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Identifies the daemon's code, so a client can replace a daemon that runs stale jars. Hashes the
 * name, size and modification time of each classpath entry. The CLI has a copy of this algorithm
 * ({@code dev.grove.cli.client.BuildId}); both are pinned by the same golden test value.
 */
public final class BuildId {
  public static final String PROPERTY = "grove.buildId";

  private BuildId() {}

  /** {@code -Dgrove.buildId} when given, else the hash of this JVM's classpath. */
  public static String current() {
    String given = System.getProperty(PROPERTY);
    if (given != null && !given.isBlank()) {
      return given;
    }
    return ofClasspath(System.getProperty("java.class.path", ""));
  }

  public static String ofClasspath(String classpath) {
    MessageDigest digest = sha256();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        digest.update(describe(Path.of(entry)).getBytes(StandardCharsets.UTF_8));
      }
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 12);
  }

  private static String describe(Path entry) {
    Path fileName = entry.getFileName();
    String name = fileName == null ? entry.toString() : fileName.toString();
    try {
      if (Files.isRegularFile(entry)) {
        return name
            + '|'
            + Files.size(entry)
            + '|'
            + Files.getLastModifiedTime(entry).toMillis()
            + '\n';
      }
      if (Files.isDirectory(entry)) {
        // A development classes folder: any changed file must change the id.
        long count = 0;
        long size = 0;
        long newest = 0;
        try (Stream<Path> files = Files.walk(entry)) {
          for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
            count++;
            size += Files.size(file);
            newest = Math.max(newest, Files.getLastModifiedTime(file).toMillis());
          }
        }
        return name + "|dir|" + count + '|' + size + '|' + newest + '\n';
      }
      return name + "|missing\n";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classpath entry " + entry, e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
