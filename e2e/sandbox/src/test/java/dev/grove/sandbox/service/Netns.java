package dev.grove.sandbox.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Commands for tests that build network namespaces. */
final class Netns {

  record Result(int exit, String output) {}

  private Netns() {}

  static Result run(List<String> command, Duration timeout) throws IOException {
    Path out = Files.createTempFile("netns", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(command + " did not end in " + timeout.toSeconds() + " s");
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Runs {@code command} (split on spaces), failing the test when it fails. */
  static String must(String command) throws IOException {
    Result result = run(List.of(command.split(" ")), Duration.ofSeconds(20));
    if (result.exit() != 0) {
      throw new IOException(command + " exited " + result.exit() + ": " + result.output());
    }
    return result.output();
  }

  static boolean onPath(String program) {
    return java.util.Arrays.stream(System.getenv("PATH").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }
}
