package dev.grove.orchestrator.template;

/**
 * The most a template may build, checked as values are built (before a string or list is made, not
 * after), so that a template cannot exhaust the daemon: 1 MiB per string, 100,000 items per list,
 * and {@link Budget} for a whole resolution.
 */
final class Limits {
  /** Characters in one string a template builds. */
  static final int MAX_CHARS = 1 << 20;

  /** Items in one list a template builds. */
  static final int MAX_ITEMS = 100_000;

  static final String CHARS_LIMIT = "over the limit of 1 MiB (1048576 characters) for one value";
  static final String ITEMS_LIMIT = "over the limit of 100000 items for one list";
  static final String SUGGESTION =
      "Templates build at most 1 MiB per string and 100000 items per list: build less, or keep"
          + " large data in files (a kubernetes Deploy's spec.files) rather than in templates.";

  private Limits() {}

  /** Fails unless a string of {@code length} characters is within the cap. */
  static void chars(long length, String what) {
    if (length > MAX_CHARS) {
      throw new EvalError(
          what + " would build a string of " + length + " characters, " + CHARS_LIMIT, SUGGESTION);
    }
  }

  /** Fails unless a list of {@code size} items is within the cap. */
  static void items(long size, String what) {
    if (size > MAX_ITEMS) {
      throw new EvalError(
          what + " would build a list of " + size + " items, " + ITEMS_LIMIT, SUGGESTION);
    }
  }

  /**
   * Fails when the scalars of {@code value} alone pass {@link #MAX_CHARS}, before an encoder
   * starts: SnakeYAML represents the whole tree (a regex per scalar) before it writes a character,
   * so the {@link Writer}'s cap alone would stop a 100 MiB value only after seconds of work.
   */
  static void encodable(Object value, String what) {
    long[] count = new long[1];
    count(value, count);
    chars(count[0], what);
  }

  private static void count(Object value, long[] count) {
    if (count[0] > MAX_CHARS) {
      return;
    }
    if (value instanceof java.util.Map<?, ?> map) {
      for (var entry : map.entrySet()) {
        count(entry.getKey(), count);
        count(entry.getValue(), count);
      }
    } else if (value instanceof java.util.Collection<?> list) {
      for (Object item : list) {
        count(item, count);
      }
    } else if (value != null) {
      count[0] += String.valueOf(value).length();
    }
  }

  /** Nodes one decoded document ({@code yamlDecode}, {@code jsonDecode}) may expand to. */
  static final int MAX_DECODED_NODES = 1_000_000;

  /**
   * {@link Values#normalize} of what a decoder gave, counting the nodes as they are copied: YAML
   * aliases let a 1 KiB string name 2^25 nodes (billion laughs), which a copy would make real.
   */
  static Object decoded(Object value, String what) {
    return decoded(value, what, new long[1]);
  }

  private static Object decoded(Object value, String what, long[] nodes) {
    if (++nodes[0] > MAX_DECODED_NODES) {
      throw new EvalError(
          what
              + " decodes to more than "
              + MAX_DECODED_NODES
              + " values (YAML aliases repeat what they name), over the limit for one value",
          SUGGESTION);
    }
    if (value instanceof java.util.Map<?, ?> map) {
      java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), decoded(v, what, nodes)));
      return out;
    }
    if (value instanceof java.util.Collection<?> list) {
      items(list.size(), what);
      java.util.List<Object> out = new java.util.ArrayList<>(list.size());
      list.forEach(v -> out.add(decoded(v, what, nodes)));
      return out;
    }
    return Values.normalize(value);
  }

  /** A string builder that fails as soon as it would pass {@link #MAX_CHARS}. */
  static final class Text implements Appendable {
    private final StringBuilder out = new StringBuilder();
    private final String what;

    Text(String what) {
      this.what = what;
    }

    @Override
    public Text append(CharSequence text) {
      chars((long) out.length() + text.length(), what);
      out.append(text);
      return this;
    }

    @Override
    public Text append(CharSequence text, int start, int end) {
      return append(text.subSequence(start, end));
    }

    @Override
    public Text append(char c) {
      chars(out.length() + 1L, what);
      out.append(c);
      return this;
    }

    int length() {
      return out.length();
    }

    @Override
    public String toString() {
      return out.toString();
    }
  }

  /** A writer for encoders (JSON, YAML) that fails as soon as it would pass {@link #MAX_CHARS}. */
  static final class Writer extends java.io.Writer {
    private final Text out;

    Writer(String what) {
      this.out = new Text(what);
    }

    @Override
    public void write(char[] buffer, int offset, int length) {
      out.append(java.nio.CharBuffer.wrap(buffer, offset, length));
    }

    @Override
    public void write(String text) {
      out.append(text);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return out.toString();
    }
  }
}
