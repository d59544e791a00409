package dev.grove.cli.render;

import java.util.Locale;
import picocli.CommandLine;

/** {@code grove graph --format}. */
public enum GraphFormat {
  TEXT,
  DOT,
  MERMAID;

  public static final String VALID = "text, dot, mermaid";

  /** Parses {@code --format}; an unknown value names the valid ones. */
  public static final class Converter implements CommandLine.ITypeConverter<GraphFormat> {
    @Override
    public GraphFormat convert(String value) {
      for (GraphFormat format : values()) {
        if (format.name().toLowerCase(Locale.ROOT).equals(value)) {
          return format;
        }
      }
      throw new CommandLine.TypeConversionException(
          "unknown format '" + value + "'; expected one of: " + VALID);
    }
  }
}
