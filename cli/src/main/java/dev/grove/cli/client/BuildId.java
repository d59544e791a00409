package dev.grove.cli.client;

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
 * The build id of a daemon classpath: a copy of the daemon's {@code
 * dev.grove.orchestrator.daemon.BuildId} algorithm (the CLI may not depend on the orchestrator).
 * Both are pinned by the same golden value in their tests.
 */
public final class BuildId {
  private BuildId() {}

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
