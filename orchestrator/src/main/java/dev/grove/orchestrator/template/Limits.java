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
