package dev.grove.cli.render;

import java.util.Locale;
import picocli.CommandLine;

/** {@code --output}: human text, or one JSON document. */
public enum OutputMode {
  TEXT,
  JSON;

  public static final String VALID = "text, json";

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
