package dev.grove.actions.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/** The kubelet's {@code timestamps=true} lines: an RFC 3339 time, a space, the text. */
public final class LogLines {
  /** RFC 3339 in UTC with nine fraction digits, as the kubelet writes it: sorts as text too. */
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private LogLines() {}

  public static String format(Instant time) {
    return FORMAT.format(time);
  }

  /**
   * Splits one stamped line into its time and text; a line without a readable stamp gets {@code
   * fallback}.
   */
  public static void parse(String line, Instant fallback, BiConsumer<Instant, String> out) {
    int space = line.indexOf(' ');
    if (space > 0) {
      try {
        out.accept(
            java.time.OffsetDateTime.parse(line.substring(0, space)).toInstant(),
            line.substring(space + 1));
        return;
      } catch (DateTimeParseException e) {
        // not stamped: the whole line is text
      }
    }
    out.accept(fallback, line);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The message of a Kubernetes {@code Status} object when {@code line} is one: what the API
   * answers instead of a log on an error (403 without RBAC on {@code pods/log}, 404, 5xx). A
   * stamped line starts with its time, never with {@code {}.
   */
  public static Optional<String> apiStatus(String line) {
    String text = line.strip();
    if (!text.startsWith("{") || !text.contains("\"Status\"")) {
      return Optional.empty();
    }
    try {
      JsonNode status = JSON.readTree(text);
      if (status == null || !"Status".equals(status.path("kind").asText())) {
        return Optional.empty();
      }
      String message = status.path("message").asText("");
      int code = status.path("code").asInt(0);
      String reason = status.path("reason").asText("");
      String what = message.isEmpty() ? reason : message;
      return Optional.of(code > 0 ? what + " (HTTP " + code + ")" : what);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /**
   * A stream of stamped lines, split at line breaks (a {@code \r} before one dropped) and handed on
   * as they complete; {@link #close} hands on an unfinished last line.
   */
  static final class Splitter extends OutputStream {
    /** The longest line handed on in one piece, as for processes' output (LineReader). */
    static final int MAX_LINE = 64 * 1024;

    private final BiConsumer<Instant, String> out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(256);
    private Predicate<String> first;
    private boolean dropping;

    /** The time of a line cut into pieces, for the pieces after the first. */
    private Instant continued;

    Splitter(BiConsumer<Instant, String> out) {
      this(out, line -> true);
    }

    /**
     * @param first sees the first raw line; when it answers false, that line and all after it are
     *     dropped (the stream is not a log)
     */
    Splitter(BiConsumer<Instant, String> out, Predicate<String> first) {
      this.out = out;
      this.first = first;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        emit();
      } else {
        pending.write(b);
        if (pending.size() >= MAX_LINE) {
          cut();
        }
      }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      int start = offset;
      for (int i = offset; i < offset + length; i++) {
        if (bytes[i] == '\n') {
          pending.write(bytes, start, i - start);
          emit();
          start = i + 1;
        } else if (pending.size() + i + 1 - start >= MAX_LINE) {
          pending.write(bytes, start, i + 1 - start);
          start = i + 1;
          cut();
        }
      }
      pending.write(bytes, start, offset + length - start);
    }

    @Override
    public synchronized void close() {
      if (pending.size() > 0) {
        emit();
      }
    }

    /** A whole line. */
    private void emit() {
      String line = pending.toString(StandardCharsets.UTF_8);
      pending.reset();
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      hand(line);
      continued = null;
    }

    /**
     * The first {@value #MAX_LINE} bytes of a longer line, cut at a character's boundary: one
     * endless line must not exhaust memory. The pieces after it keep the line's time.
     */
    private void cut() {
      byte[] bytes = pending.toByteArray();
      int end = boundary(bytes);
      pending.reset();
      pending.write(bytes, end, bytes.length - end);
      hand(new String(bytes, 0, end, StandardCharsets.UTF_8));
    }

    /** Where the last complete UTF-8 character of {@code bytes} ends. */
    private static int boundary(byte[] bytes) {
      int lead = bytes.length - 1;
      while (lead > 0 && bytes.length - lead < 4 && (bytes[lead] & 0xC0) == 0x80) {
        lead--;
      }
      int b = bytes[lead] & 0xFF;
      int size = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
      return lead + size > bytes.length && lead > 0 ? lead : bytes.length;
    }

    private void hand(String line) {
      if (first != null) {
        dropping = !first.test(line);
        first = null;
      }
      if (dropping) {
        return;
      }
      if (continued != null) {
        out.accept(continued, line);
        return;
      }
      parse(
          line,
          Instant.now(),
          (time, text) -> {
            continued = time;
            out.accept(time, text);
          });
    }
  }
}
