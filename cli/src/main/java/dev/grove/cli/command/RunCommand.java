package dev.grove.cli.command;

import dev.grove.api.project.ProjectRequest;
import dev.grove.api.run.RunInfo;
import dev.grove.api.run.RunRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code grove build|deploy|status [names]}: starts a run in the daemon and shows it live. */
public abstract class RunCommand implements Callable<Integer> {
  final CliApp app;

  @Mixin ProjectOptions options;

  @Parameters(
      paramLabel = "NAME",
      arity = "0..*",
      description = "Action names of this command's kind (default: all that are enabled).")
  List<String> names = new ArrayList<>();

  RunCommand(CliApp app) {
    this.app = app;
  }

  abstract String command();

  boolean force() {
    return false;
  }

  boolean skipDependencies() {
    return false;
  }

  boolean withDependants() {
    return false;
  }

  List<String> concurrency() {
    return List.of();
  }

  String publishTag() {
    return null;
  }

  boolean watch() {
    return false;
  }

  Long quietPeriodMs() {
    return null;
  }

  /** The action names asked for; empty (or Garden's {@code '*'}) means every one of the kind. */
  List<String> names() {
    return names.equals(List.of("*")) ? List.of() : names;
  }

  /** {@code --keep-pod}: test and run. */
  boolean keepPods() {
    return false;
  }

  @Override
  public Integer call() {
    try {
      ProjectRequest project = options.request(app);
      RunRequest request =
          new RunRequest(
              project,
              command(),
              names(),
              force(),
              skipDependencies(),
              withDependants(),
              limits(concurrency()),
              publishTag(),
              keepPods());
      Long quietPeriod = quietPeriodMs(); // checked before anything starts
      if (watch() && options.output() == dev.grove.cli.render.OutputMode.JSON) {
        throw new UsageException(
            "--watch has no end, so no single JSON document: --output json does not apply",
            "Use --output jsonl (every event as a line) or text.");
      }
      if (watch()) {
        return WatchFollower.start(app, request, quietPeriod, options.output());
      }
      RunInfo started = app.daemon().call(client -> client.startRun(request));
      return RunFollower.follow(app, started.runId(), options.output(), true);
    } catch (RuntimeException e) {
      return app.fail(e, options.output());
    }
  }

  /** {@code build=2} pairs as a map; a malformed one is a usage error naming it. */
  static Map<String, Integer> limits(List<String> pairs) {
    Map<String, Integer> limits = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      Integer value = null;
      if (eq > 0) {
        try {
          value = Integer.valueOf(pair.substring(eq + 1));
        } catch (NumberFormatException e) {
          value = null;
        }
      }
      if (value == null || value < 1) {
        throw new UsageException(
            "--concurrency '" + pair + "' is not KIND=N with N of 1 or more",
            "Write it as --concurrency build=2 (build, deploy, run, test or overall).");
      }
      limits.put(pair.substring(0, eq), value);
    }
    return limits;
  }

  /** The flags of commands that process actions. */
  static final class ProcessFlags {
    @Option(
        names = "--force",
        description =
            "Process the named actions even when they are ready (not their dependencies).")
    boolean force;

    @Option(
        names = "--skip-dependencies",
        description = "Do not process Deploy/Run/Test dependencies (Builds still run).")
    boolean skipDependencies;

    @Option(names = "--with-dependants", description = "Also process what depends on them.")
    boolean withDependants;

    @Option(
        names = "--concurrency",
        paramLabel = "KIND=N",
        description =
            "How many actions run at once for this run: build, deploy, run, test or overall"
                + " (default build=4, deploy=8, overall=16, or `concurrency` in grove.yml);"
                + " repeatable.")
    List<String> concurrency = new ArrayList<>();
  }

  /** A run that processes actions: the process flags apply. */
  abstract static class Processing extends RunCommand {
    @Mixin ProcessFlags flags;

    Processing(CliApp app) {
      super(app);
    }

    @Override
    boolean force() {
      return flags.force;
    }

    @Override
    boolean skipDependencies() {
      return flags.skipDependencies;
    }

    @Override
    boolean withDependants() {
      return flags.withDependants;
    }

    @Override
    List<String> concurrency() {
      return flags.concurrency;
    }
  }

  /** {@code --keep-pod}: test and run. */
  static final class KeepPodFlag {
    @Option(
        names = "--keep-pod",
        description =
            "Leave the pods of in-cluster Tests and Runs after they ran, to look inside (kubectl"
                + " exec); Grove prints how to delete them.")
    boolean keepPod;
  }

  /** {@code --watch} and {@code --quiet-period}: build and deploy. */
  static final class WatchFlags {
    @Option(
        names = "--watch",
        description =
            "After the run, run again whenever a saved file changes what it processed (Ctrl-C"
                + " stops).")
    boolean watch;

    @Option(
        names = "--quiet-period",
        paramLabel = "DURATION",
        description =
            "With --watch: how long saves must pause before a run starts (default 200ms; e.g."
                + " 500ms, 1s). A constant trickle still runs after 5 s.")
    String quietPeriod;

    Long quietPeriodMs() {
      if (quietPeriod == null) {
        return null;
      }
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d+)(ms|s)?").matcher(quietPeriod.trim());
      if (!m.matches()) {
        throw new UsageException(
            "--quiet-period '" + quietPeriod + "' is not a duration", "Write it as 200ms or 1s.");
      }
      long value = Long.parseLong(m.group(1));
      long ms = "s".equals(m.group(2)) ? value * 1000 : value;
      if (ms > 5000) {
        throw new UsageException(
            "--quiet-period " + quietPeriod + " is longer than the 5 s cap", "Pick 5s or less.");
      }
      return ms;
    }
  }

  /** A run that can watch: build and deploy. */
  abstract static class Watching extends Processing {
    @Mixin WatchFlags watchFlags;

    Watching(CliApp app) {
      super(app);
    }

    @Override
    boolean watch() {
      return watchFlags.watch;
    }

    @Override
    Long quietPeriodMs() {
      if (watchFlags.quietPeriod != null && !watchFlags.watch) {
        throw new UsageException(
            "--quiet-period only applies with --watch", "Add --watch, or leave it out.");
      }
      return watchFlags.quietPeriodMs();
    }
  }

  /** {@code grove build}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = "Build the named Build actions (and what they need), live.")
  public static final class Build extends Watching {
    public Build(CliApp app) {
      super(app);
    }

    @Override
    String command() {
      return "build";
    }
  }

  /** {@code grove deploy}. */
  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description = "Deploy the named Deploy actions (and what they need), live.")
  public static final class Deploy extends Watching {
    public Deploy(CliApp app) {
      super(app);
    }

    @Override
    String command() {
      return "deploy";
    }
  }

  /** {@code grove test}: Garden's {@code garden test}. */
  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description =
          "Run the named Test actions (all when none is named) and what they need, live. A Test"
              + " whose version passed before is ready and not run again (--force runs it). Exit"
              + " code 1 when a Test fails.")
  public static final class Test extends Processing {
    @Mixin KeepPodFlag keepPod;

    public Test(CliApp app) {
      super(app);
    }

    @Override
    boolean keepPods() {
      return keepPod.keepPod;
    }

    @Override
    String command() {
      return "test";
    }
  }

  /** {@code grove run}: Garden's {@code garden run} (Run actions, not custom Commands). */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description =
          "Perform the named Run actions (all when none is named) and what they need, live. Exit"
              + " code 1 when one fails. (A project's custom Commands run as `grove NAME`.)")
  public static final class RunActions extends Processing {
    @Mixin KeepPodFlag keepPod;

    public RunActions(CliApp app) {
      super(app);
    }

    @Override
    boolean keepPods() {
      return keepPod.keepPod;
    }

    @Override
    String command() {
      return "run";
    }

    /** As Garden: every Run only when asked for with {@code '*'} (Runs change things). */
    @Override
    List<String> names() {
      if (names.isEmpty()) {
        throw new UsageException(
            "grove run needs the name of a Run",
            "Name one or more (grove run seed), or pass '*' to run every Run of the project, as"
                + " in Garden.");
      }
      return super.names();
    }
  }

  /** {@code grove status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Check the status of Builds and Deploys without processing anything.")
  public static final class Status extends RunCommand {
    public Status(CliApp app) {
      super(app);
    }

    @Override
    String command() {
      return "status";
    }
  }

  /** {@code grove publish}: build, then push the images under their {@code publishId}. */
  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description =
          "Build the named Builds and publish their images under spec.publishId (tagged with"
              + " the publishId's tag, else the version; --tag overrides).")
  public static final class Publish extends Processing {
    @Option(
        names = "--tag",
        paramLabel = "TAG",
        description = "Publish under this tag instead (e.g. a release number).")
    String tag;

    public Publish(CliApp app) {
      super(app);
    }

    @Override
    String command() {
      return "publish";
    }

    @Override
    String publishTag() {
      return tag;
    }
  }

  /** {@code grove delete deploy} (and {@code grove cleanup deploy}, Garden's name). */
  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description =
          "Delete what the named Deploys deployed (all when none are named): the objects Kubernetes"
              + " Deploys applied, an exec Deploy's cleanupCommand. Dependencies are left alone.")
  public static final class DeleteDeploy extends RunCommand {
    public DeleteDeploy(CliApp app) {
      super(app);
    }

    @Override
    String command() {
      return "delete";
    }
  }
}
