package dev.grove.cli.render;

import java.util.Locale;
import picocli.CommandLine;

/**
 * {@code --output}: human text, one JSON document, or (for runs) every event as a JSON line and the
 * document last.
 */
public enum OutputMode {
  TEXT,
  JSON,
  JSONL;

  public static final String VALID = "text, json, jsonl";

  /** True for the machine-readable modes, which print the result document on stdout. */
  public boolean isJson() {
    return this != TEXT;
  }

  /** Parses {@code --output}; an unknown value names the valid ones. */
  public static final class Converter implements CommandLine.ITypeConverter<OutputMode> {
    @Override
    public OutputMode convert(String value) {
      for (OutputMode mode : values()) {
        if (mode.name().toLowerCase(Locale.ROOT).equals(value)) {
          return mode;
        }
      }
      throw new CommandLine.TypeConversionException(
          "unknown output '" + value + "'; expected one of: " + VALID);
    }
  }
}
