package dev.grove.actions.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A record of each process Grove started (pid and start time, one file per process) in a folder
 * under GROVE_HOME, kept while it runs: a daemon killed before its shutdown hooks ran (SIGKILL, out
 * of memory) leaves its processes behind, and the next daemon stops them through these records. It
 * also knows the processes still running, for a daemon that exits normally to stop them.
 */
public final class ProcessRecords {
  private final Map<String, Process> live = new ConcurrentHashMap<>();
  private volatile Path dir;

  /**
   * Keeps the records in {@code dir} from now on, after stopping the processes a previous daemon
   * recorded there and left running (same pid and start time: a reused pid is left alone), with the
   * processes below them. Returns how many it stopped.
   */
  public int use(Path dir) {
    int stopped = 0;
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
          stopped += stopRecorded(file) ? 1 : 0;
        }
      }
    } catch (IOException e) {
      // no records: nothing left behind can be found, nothing new recorded
      return stopped;
    }
    this.dir = dir;
    return stopped;
  }

  /** Records {@code process} under {@code key} (one record per key). */
  void record(String key, Process process) {
    live.put(key, process);
    Path in = dir;
    if (in == null) {
      return;
    }
    String started =
        process.toHandle().info().startInstant().map(Instant::toString).orElse("unknown");
    try {
      Files.writeString(file(in, key), process.pid() + " " + started + "\n");
    } catch (IOException e) {
      // a process without a record is only unprotected against a daemon crash
    }
  }

  /** Drops the record of {@code key} while it still names {@code process}. */
  void forget(String key, Process process) {
    live.remove(key, process);
    Path in = dir;
    if (in == null) {
      return;
    }
    try {
      Path file = file(in, key);
      if (Files.isRegularFile(file) && Files.readString(file).startsWith(process.pid() + " ")) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // gone already
    }
  }

  /** Stops every recorded process that still runs, with the processes below it. */
  void stopAll() {
    List.copyOf(live.values()).parallelStream().forEach(ProcessRunner::stopTree);
  }

  /** Stops every recorded process that still runs when this JVM exits (the daemon's records). */
  public void stopAllAtExit() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "grove-commands-stop"));
  }

  /** Stops the recorded process if it still runs (same pid, same start time); drops the record. */
  private static boolean stopRecorded(Path file) {
    boolean stopped = false;
    try {
      String[] fields = Files.readString(file).trim().split(" ", 2);
      long pid = Long.parseLong(fields[0]);
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isPresent()
          && handle.get().isAlive()
          && sameStart(handle.get().info().startInstant(), fields[1])) {
        handle.get().descendants().forEach(ProcessHandle::destroyForcibly);
        handle.get().destroyForcibly();
        stopped = true;
      }
      Files.deleteIfExists(file);
    } catch (IOException | RuntimeException e) {
      // unreadable or malformed: leave it
    }
    return stopped;
  }

  /**
   * Whether a process's start time is the recorded one. Within a second or two, not exactly: the
   * JDK computes it from the boot time, which a JVM reads once and a virtual machine's clock can
   * move between the daemon that recorded it and the one that checks (a pid reused within that
   * second is not a worry).
   */
  static boolean sameStart(java.util.Optional<Instant> actual, String recorded) {
    if (actual.isEmpty()) {
      return false;
    }
    try {
      return Math.abs(
              java.time.Duration.between(Instant.parse(recorded.trim()), actual.get()).toMillis())
          <= 2_000;
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  private static Path file(Path dir, String key) {
    return dir.resolve(
        HexFormat.of().formatHex(Arrays.copyOf(sha256(key.getBytes(StandardCharsets.UTF_8)), 12))
            + ".pid");
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }
}
