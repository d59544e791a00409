package dev.grove.api.http;

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
 * Identifies the daemon's code, so a client can replace a daemon that runs stale jars: a hash of
 * the name, size and modification time of each classpath entry ({@code dir/*} entries expanded to
 * their jars, as the java launcher does). The CLI computes it over the classpath it would launch
 * the daemon with; the daemon reports it in daemon.json.
 */
public final class BuildId {
  private BuildId() {}

  /** The system property a launcher sets to pass the id to the daemon it starts. */
  public static final String PROPERTY = "grove.buildId";

  public static String ofClasspath(String classpath) {
    MessageDigest digest = sha256();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      if (entry.endsWith("*")) {
        for (Path jar : jarsIn(Path.of(entry.substring(0, entry.length() - 1)))) {
          digest.update(describe(jar).getBytes(StandardCharsets.UTF_8));
        }
      } else {
        digest.update(describe(Path.of(entry)).getBytes(StandardCharsets.UTF_8));
      }
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 12);
  }

  private static java.util.List<Path> jarsIn(Path dir) {
    if (!Files.isDirectory(dir)) {
      return java.util.List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list classpath folder " + dir, e);
    }
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
