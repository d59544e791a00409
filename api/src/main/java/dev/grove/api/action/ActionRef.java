package dev.grove.api.action;

import java.util.Objects;
import java.util.Optional;

/** Addresses one action: {@code build.api}, {@code deploy.db}. */
public record ActionRef(ActionKind kind, String name) implements Comparable<ActionRef> {

  public ActionRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  public static ActionRef of(ActionKind kind, String name) {
    return new ActionRef(kind, name);
  }

  /** Parses {@code deploy.db}; empty when the text is not of that form. */
  public static Optional<ActionRef> parse(String text) {
    int dot = text.indexOf('.');
    if (dot <= 0 || dot == text.length() - 1) {
      return Optional.empty();
    }
    return ActionKind.parse(text.substring(0, dot))
        .map(kind -> new ActionRef(kind, text.substring(dot + 1)));
  }

  @Override
  public String toString() {
    return kind.refPrefix() + "." + name;
  }

  @Override
  public int compareTo(ActionRef other) {
    int byKind = kind.compareTo(other.kind);
    return byKind != 0 ? byKind : name.compareTo(other.name);
  }
}
