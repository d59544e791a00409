package dev.grove.sandbox.kubelet;

import dev.grove.sandbox.cluster.PodLogs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Follows one container run's CRI log file into {@link PodLogs}. The runtime writes a line per
 * chunk of output: {@code TIME STREAM TAG TEXT}, TIME in RFC 3339 with nanoseconds, STREAM {@code
 * stdout} or {@code stderr}, TAG {@code F} for a full line or {@code P} for a part that the next
 * one continues. Parts are joined; each full line is appended with the time it was written.
 */
final class CriLogTail {

  private final Path file;
  private final String namespace;
  private final String pod;
  private final String container;
  private final PodLogs logs;
  private long offset;
  private final StringBuilder partial = new StringBuilder();
  private byte[] pending = new byte[0];

  CriLogTail(Path file, String namespace, String pod, String container, PodLogs logs) {
    this.file = file;
    this.namespace = namespace;
    this.pod = pod;
    this.container = container;
    this.logs = logs;
  }

  /** Reads what was written since the last poll; quiet when the file is not there (yet). */
  synchronized void poll() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (length <= offset) {
        return;
      }
      byte[] bytes = new byte[(int) Math.min(length - offset, 4 * 1024 * 1024)];
      in.seek(offset);
      in.readFully(bytes);
      offset += bytes.length;
      byte[] all = new byte[pending.length + bytes.length];
      System.arraycopy(pending, 0, all, 0, pending.length);
      System.arraycopy(bytes, 0, all, pending.length, bytes.length);
      int start = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == '\n') {
          line(new String(all, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      pending = java.util.Arrays.copyOfRange(all, start, all.length);
    } catch (IOException e) {
      // rotated or removed under us: the next poll tries again
    }
  }

  private void line(String record) {
    String[] parts = record.split(" ", 4);
    if (parts.length < 3) {
      return;
    }
    Instant time;
    try {
      time = Instant.parse(parts[0]);
    } catch (DateTimeParseException e) {
      time = Instant.now();
    }
    String text = parts.length == 4 ? parts[3] : "";
    if (parts[2].startsWith("P")) {
      partial.append(text);
      return;
    }
    String full = partial.append(text).toString();
    partial.setLength(0);
    logs.append(namespace, pod, container, time, full);
  }
}
