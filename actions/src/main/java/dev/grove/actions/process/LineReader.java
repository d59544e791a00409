package dev.grove.actions.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a stream into lines as they arrive: on {@code \n} (a {@code \r} before it is dropped), a
 * last line without newline included. A line longer than {@link #MAX_LINE} characters is cut into
 * pieces so that one endless line cannot exhaust memory.
 */
public final class LineReader {
  public static final int MAX_LINE = 64 * 1024;

  private LineReader() {}

  public static void read(InputStream in, Consumer<String> lines) throws IOException {
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      char[] chunk = new char[8192];
      StringBuilder line = new StringBuilder();
      int n;
      while ((n = reader.read(chunk)) != -1) {
        for (int i = 0; i < n; i++) {
          char c = chunk[i];
          if (c == '\n') {
            int end = line.length();
            if (end > 0 && line.charAt(end - 1) == '\r') {
              line.setLength(end - 1);
            }
            lines.accept(line.toString());
            line.setLength(0);
          } else {
            line.append(c);
            if (line.length() >= MAX_LINE) {
              lines.accept(line.toString());
              line.setLength(0);
            }
          }
        }
      }
      if (line.length() > 0) {
        lines.accept(line.toString());
      }
    }
  }
}
