package dev.grove.actions.process;

import java.util.ArrayDeque;
import java.util.Deque;

/** The last lines of an output, up to a number of characters; older lines are dropped. */
public final class TailBuffer {
  private final int maxChars;
  private final Deque<String> lines = new ArrayDeque<>();
  private long chars;

  public TailBuffer(int maxChars) {
    this.maxChars = maxChars;
  }

  public synchronized void add(String line) {
    String kept = line.length() > maxChars ? line.substring(line.length() - maxChars) : line;
    lines.addLast(kept);
    chars += kept.length() + 1;
    while (chars - 1 > maxChars && lines.size() > 1) {
      chars -= lines.removeFirst().length() + 1;
    }
  }

  /** The kept lines joined by newlines, without a trailing one. */
  @Override
  public synchronized String toString() {
    return String.join("\n", lines);
  }
}
