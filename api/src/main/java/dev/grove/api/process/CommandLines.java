package dev.grove.api.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A running process's command line, read from {@code /proc/PID/cmdline}: Grove finds its own
 * daemons and sandbox processes by what their command lines name (after an {@code rm -rf} of their
 * home, nothing else is left of them). {@link ProcessHandle.Info#arguments()} will not do: the JDK
 * reads at most a page of the command line and answers nothing for a longer one, as a JVM's with
 * its class path is (a daemon's is ~8 KiB).
 */
public final class CommandLines {
  private CommandLines() {}

  /** The process's arguments, the program first; empty when it is gone or /proc has none. */
  public static List<String> of(long pid) {
    return of(Path.of("/proc", Long.toString(pid), "cmdline"));
  }

  static List<String> of(Path cmdline) {
    try {
      String raw = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
      return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
    } catch (IOException | RuntimeException e) {
      return List.of(); // gone meanwhile, or no /proc here
    }
  }
}
