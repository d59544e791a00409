package dev.grove.orchestrator.template;

/**
 * What one resolution (one string, or one config tree with its $forEach and $concat) may build in
 * all: each value is capped by {@link Limits}, and this caps their sum, so 100,000 strings of 1 MiB
 * stop early instead of filling the heap. A load's budget ({@link #forLoad()}) caps the sum over
 * all its resolutions, so spreading templates over many actions does not get round it. Counts what
 * is built, including what is later dropped: a bound on the work, not on what is kept. Not
 * thread-safe: one per resolution, one per load.
 */
public final class Budget {
  /** Characters (and list items) one resolution may build in all. */
  static final long MAX_TOTAL = 32L << 20;

  /** Characters (and list items) the templates of one load may build in all. */
  static final long MAX_LOAD = 64L << 20;

  private final long max;
  private final Budget load;
  private long used;

  /** A resolution's budget, counted against {@code load} too when there is one. */
  Budget(Budget load) {
    this.max = MAX_TOTAL;
    this.load = load;
  }

  Budget() {
    this(null);
  }

  private Budget(long max) {
    this.max = max;
    this.load = null;
  }

  /** The budget of one load of a project, shared by all the resolutions the load makes. */
  public static Budget forLoad() {
    return new Budget(MAX_LOAD);
  }

  /** Counts a value just built: a string's characters, a list's items. */
  void charge(Object value) {
    if (value instanceof String text) {
      add(text.length());
    } else if (value instanceof java.util.List<?> list) {
      add(list.size());
    }
  }

  /**
   * Counts a value that may share parts with others (what a {@code $forEach} returns for each item
   * often is the same subtree): every node and character of it, as a copy of the tree (for its
   * version, or its JSON) would meet them. Stops at the limit, so it costs at most the budget.
   */
  void chargeDeep(Object value) {
    if (value instanceof String text) {
      add(text.length());
    } else if (value instanceof java.util.Map<?, ?> map) {
      add(map.size());
      for (Object child : map.values()) {
        chargeDeep(child);
      }
    } else if (value instanceof java.util.List<?> list) {
      add(list.size());
      for (Object child : list) {
        chargeDeep(child);
      }
    } else {
      add(1);
    }
  }

  private void add(long amount) {
    used += amount;
    if (used > max) {
      throw new EvalError(
          load == null && max == MAX_LOAD
              ? "The templates of this project have built more than 64 Mi characters in all, over"
                  + " the limit for one load"
              : "This template has built more than 32 Mi characters in all, over the limit for one"
                  + " resolution",
          Limits.SUGGESTION);
    }
    if (load != null) {
      load.add(amount);
    }
  }
}
