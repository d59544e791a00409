package dev.grove.cli.command;

import dev.grove.api.cleanup.CleanupImagesRequest;
import dev.grove.api.cleanup.CleanupImagesResult;
import dev.grove.api.cleanup.CleanupImagesResult.ImageCleanupInfo;
import dev.grove.api.project.ProjectRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code grove cleanup ...}: removes what Grove left behind. */
@Command(
    name = "cleanup",
    mixinStandardHelpOptions = true,
    description =
        "Remove what Grove created: old image tags, what Deploys deployed, the app namespace.",
    subcommands = {CleanupCommand.Images.class})
public final class CleanupCommand implements Callable<Integer> {
  private final CliApp app;

  public CleanupCommand(CliApp app) {
    this.app = app;
  }

  /** The command with its subcommands that need the app: {@code deploy} and {@code namespace}. */
  public static picocli.CommandLine of(CliApp app) {
    return new picocli.CommandLine(new CleanupCommand(app))
        .addSubcommand(new RunCommand.DeleteDeploy(app))
        .addSubcommand(new Namespace(app));
  }

  /** {@code grove cleanup namespace [--yes]}: deletes the app namespace after asking. */
  @Command(
      name = "namespace",
      mixinStandardHelpOptions = true,
      description = "Delete the project's app namespace and everything in it (asks first).")
  public static final class Namespace implements Callable<Integer> {
    private final CliApp app;

    @Mixin ProjectOptions options;

    @Option(names = "--yes", description = "Delete without asking.")
    boolean yes;

    public Namespace(CliApp app) {
      this.app = app;
    }

    @Override
    public Integer call() {
      try {
        ProjectRequest request = options.request(app);
        var plan =
            app.daemon()
                .call(
                    client ->
                        client.cleanupNamespace(
                            new dev.grove.api.cleanup.CleanupNamespaceRequest(request, true)));
        String where =
            "namespace "
                + plan.namespace()
                + " in context "
                + plan.context()
                + " ("
                + plan.kubeconfig()
                + ")";
        if (!plan.exists()) {
          app.renderer().result("There is no " + where + ": nothing to delete.");
          return ExitCodes.OK;
        }
        if (!yes) {
          Optional<Boolean> answer = app.prompt().ask("Delete " + where + " and everything in it?");
          if (answer.isEmpty()) {
            throw new UsageException(
                "Nothing was deleted: there is no terminal to confirm on.",
                "Pass --yes to delete the " + where + ".");
          }
          if (!answer.get()) {
            app.renderer().note("Nothing was deleted.");
            return ExitCodes.OK;
          }
        }
        app.daemon()
            .call(
                client ->
                    client.cleanupNamespace(
                        new dev.grove.api.cleanup.CleanupNamespaceRequest(request, false)));
        app.renderer().result("✔ deleted " + where);
        return ExitCodes.OK;
      } catch (RuntimeException e) {
        return app.fail(e, options.output());
      }
    }
  }

  @Override
  public Integer call() {
    return app.fail(
        new UsageException("Say what to clean up.", "Run 'grove cleanup images --help'."),
        dev.grove.cli.render.OutputMode.TEXT);
  }

  /**
   * {@code grove cleanup images [names] [--keep N] [--yes]}: lists the old version tags first and
   * asks, then deletes exactly what it listed.
   */
  @Command(
      name = "images",
      mixinStandardHelpOptions = true,
      description =
          "Delete all but the newest N version tags of the images the project's container Builds"
              + " push (the current versions always stay; other tags are never touched).")
  public static final class Images implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand CleanupCommand parent;

    @Mixin ProjectOptions options;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Build names (default: all).")
    List<String> names = new ArrayList<>();

    @Option(
        names = "--keep",
        paramLabel = "N",
        description = "How many of the newest version tags each image keeps (default: 3).")
    int keep = 3;

    @Option(names = "--yes", description = "Delete without asking.")
    boolean yes;

    @Override
    public Integer call() {
      CliApp app = parent.app;
      try {
        if (keep < 0) {
          throw new UsageException("--keep must be 0 or more, not " + keep + ".", "Pass --keep N.");
        }
        ProjectRequest request = options.request(app);
        CleanupImagesResult plan =
            app.daemon()
                .call(
                    client ->
                        client.cleanupImages(
                            new CleanupImagesRequest(request, names, keep, true, Map.of())));
        Map<String, List<String>> confirmed = new LinkedHashMap<>();
        for (ImageCleanupInfo image : plan.images()) {
          if (!image.delete().isEmpty()) {
            confirmed.put(image.image(), image.delete());
          }
        }
        if (confirmed.isEmpty()) {
          app.renderer().cleanupImages(plan, options.output());
          return ExitCodes.OK;
        }
        if (!yes) {
          app.renderer().cleanupImages(plan, dev.grove.cli.render.OutputMode.TEXT);
          int count = confirmed.values().stream().mapToInt(List::size).sum();
          Optional<Boolean> answer =
              app.prompt().ask("Delete these " + count + (count == 1 ? " tag?" : " tags?"));
          if (answer.isEmpty()) {
            throw new UsageException(
                "Nothing was deleted: there is no terminal to confirm on.",
                "Pass --yes to delete the tags listed above without asking.");
          }
          if (!answer.get()) {
            app.renderer().note("Nothing was deleted.");
            return ExitCodes.OK;
          }
        }
        CleanupImagesResult done =
            app.daemon()
                .call(
                    client ->
                        client.cleanupImages(
                            new CleanupImagesRequest(request, names, keep, false, confirmed)));
        app.renderer().cleanupImages(done, options.output());
        return ExitCodes.OK;
      } catch (RuntimeException e) {
        return app.fail(e, options.output());
      }
    }
  }
}
