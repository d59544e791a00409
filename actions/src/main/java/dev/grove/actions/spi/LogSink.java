package dev.grove.actions.spi;

/** Where an action's output goes, line by line, in order. Implementations are thread-safe. */
@FunctionalInterface
public interface LogSink {
  String STDOUT = "stdout";
  String STDERR = "stderr";

  void line(String stream, String text);
}
