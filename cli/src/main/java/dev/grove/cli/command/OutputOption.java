package dev.grove.cli.command;

import dev.grove.cli.render.OutputMode;
import picocli.CommandLine.Option;

/** {@code --output text|json} for commands that print one document (a picocli mixin). */
public final class OutputOption {
  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      converter = OutputMode.Converter.class,
      description = "text or json (default: text).")
  OutputMode output = OutputMode.TEXT;

  public OutputMode output() {
    return output;
  }
}
