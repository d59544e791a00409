package dev.grove.actions.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When this project pushed which image tag, in {@code .grove/pushes.tsv}: a registry's API does not
 * say when a tag was pushed, and reproducible (jib) images all claim the epoch as creation time, so
 * {@code grove cleanup images} orders tags by this log. One line per push, {@code
 * instant<TAB>host/repository<TAB>tag}, appended (lines are short, so concurrent appends stay
 * whole).
 */
public final class PushLog {
  private final Path file;

  public PushLog(Path projectRoot) {
    this.file = projectRoot.resolve(".grove/pushes.tsv");
  }

  /** Records a push; a log that cannot be written costs only the ordering, so it is not fatal. */
  public void record(String repository, String tag, Instant when) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          when + "\t" + repository + "\t" + tag + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the push itself succeeded; cleanup then treats the tag's age as unknown
    }
  }

  /** The last push time of each tag of {@code repository} ({@code host/namespace/name}). */
  public Map<String, Instant> pushes(String repository) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      return Map.of();
    }
    Map<String, Instant> times = new HashMap<>();
    for (String line : lines) {
      String[] fields = line.split("\t");
      if (fields.length != 3 || !fields[1].equals(repository)) {
        continue;
      }
      try {
        times.merge(fields[2], Instant.parse(fields[0]), (a, b) -> a.isAfter(b) ? a : b);
      } catch (DateTimeParseException e) {
        // a torn or edited line: skip it
      }
    }
    return times;
  }
}
