package dev.grove.api.action;

import java.util.Locale;
import java.util.Optional;

/** The four action kinds of Garden's format. */
public enum ActionKind {
  BUILD("Build"),
  DEPLOY("Deploy"),
  RUN("Run"),
  TEST("Test");

  private final String displayName;

  ActionKind(String displayName) {
    this.displayName = displayName;
  }

  /** The name as written in config files: {@code Build}, {@code Deploy}, ... */
  public String displayName() {
    return displayName;
  }

  /** The prefix of a reference: {@code build}, {@code deploy}, ... */
  public String refPrefix() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code Build} (config spelling) or {@code build} (reference spelling). */
  public static Optional<ActionKind> parse(String text) {
    for (ActionKind kind : values()) {
      if (kind.displayName.equals(text) || kind.refPrefix().equals(text)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
