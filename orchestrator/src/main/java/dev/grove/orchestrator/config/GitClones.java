package dev.grove.orchestrator.config;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Shallow git clones of {@code URL#ref} (a branch, tag or commit), as Garden makes them for remote
 * sources: into {@code <name>--<first 10 hex of sha256(URL)>}, made in a temporary folder and
 * renamed into place, so a folder that exists is a whole clone. git runs with no prompts ({@code
 * GIT_TERMINAL_PROMPT=0}, ssh in batch mode) and each command within a timeout.
 */
final class GitClones {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern COMMIT = Pattern.compile("^[0-9a-f]{40}$");

  /** Why a clone failed, with what to do. */
  static final class FetchException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String suggestion;

    FetchException(String message, String suggestion) {
      super(message);
      this.suggestion = suggestion;
    }

    String suggestion() {
      return suggestion;
    }
  }

  private final ProcessRunner runner;
  private final Map<String, String> env;
  private final Duration timeout;

  /**
   * @param env the invoking shell's environment (PATH, HOME, git and ssh settings); the JVM's when
   *     empty
   */
  GitClones(ProcessRunner runner, Map<String, String> env, Duration timeout) {
    this.runner = runner;
    Map<String, String> gitEnv = new LinkedHashMap<>(env.isEmpty() ? System.getenv() : env);
    gitEnv.put("GIT_TERMINAL_PROMPT", "0");
    gitEnv.putIfAbsent("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    gitEnv.put("GCM_INTERACTIVE", "never");
    this.env = Map.copyOf(gitEnv);
    this.timeout = timeout;
  }

  /** The folder a clone of {@code url} named {@code name} has under {@code dir}. */
  static Path folder(Path dir, String name, String url) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return dir.resolve(name + "--" + HexFormat.of().formatHex(digest).substring(0, 10));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The clone of {@code url} under {@code dir}, cloned now when it is not there yet. */
  Path ensure(Path dir, String name, String url) throws FetchException {
    int hash = url.lastIndexOf('#');
    if (hash <= 0 || hash == url.length() - 1) {
      throw new FetchException(
          "the URL names no branch, tag or commit after `#`.",
          "Pin it as Garden requires, e.g. " + url.replaceAll("#$", "") + "#main.");
    }
    String repository = url.substring(0, hash);
    String ref = url.substring(hash + 1);
    Path target = folder(dir, name, url);
    if (Files.isDirectory(target)) {
      return target;
    }
    Path work = null;
    try {
      Files.createDirectories(dir);
      work = Files.createTempDirectory(dir, "." + name + "-");
      if (COMMIT.matcher(ref).matches()) {
        git(work, "init", "-q");
        git(work, "remote", "add", "origin", repository);
        git(work, "-c", "protocol.file.allow=always", "fetch", "-q", "--depth=1", "origin", ref);
        git(work, "checkout", "-q", "FETCH_HEAD");
      } else {
        git(
            work,
            "-c",
            "protocol.file.allow=always",
            "clone",
            "-q",
            "--depth=1",
            "--branch=" + ref,
            repository,
            ".");
      }
      try {
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!Files.isDirectory(target)) { // else another load cloned it meanwhile
          throw e;
        }
      }
      return target;
    } catch (IOException e) {
      throw new FetchException(
          "cannot write the clone under " + dir + ": " + e.getMessage(),
          "Check that the user running Grove may write there.");
    } finally {
      if (work != null) {
        delete(work);
      }
    }
  }

  private void git(Path dir, String... args) throws FetchException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessRunner.Result result;
    try {
      result =
          runner.run("git", command, dir, env, (stream, line) -> {}, new Cancellation(), timeout);
    } catch (ActionException e) {
      throw new FetchException(
          e.getMessage(),
          "Check that git is installed and that the repository answers (offline? a host that"
              + " does not reply?), then run grove again.");
    }
    if (!result.succeeded()) {
      String[] lines = result.stderr().strip().split("\n");
      String reason =
          java.util.Arrays.stream(lines)
              .filter(line -> line.startsWith("fatal:"))
              .findFirst()
              .orElse(lines[lines.length - 1])
              .strip();
      throw new FetchException(
          "`git " + String.join(" ", args) + "` failed: " + reason,
          "Check the URL, that the branch, tag or commit after `#` exists (git ls-remote"
              + " REPOSITORY) and that this machine can reach the repository; Grove never"
              + " prompts, so credentials of a private one must come from your git config, a"
              + " credential helper or ssh-agent.");
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A leftover temporary folder is harmless: it has a name no load uses.
    }
  }
}
