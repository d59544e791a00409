package dev.grove.actions.build.container;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code local-docker} builder: the docker CLI against a Docker engine, for what jib cannot do
 * ({@code RUN}, multi-stage builds). Its output lines stream as the action's log.
 */
final class DockerBuilder {
  private final ProcessRunner runner;

  DockerBuilder(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * The build command: {@code docker build} (or {@code docker buildx build --push} for several
   * platforms, which a single-platform engine cannot load) with the tag, build args, target stage
   * and the spec's {@code extraFlags}.
   */
  static List<String> buildCommand(
      String dockerfile,
      Path context,
      String image,
      Map<String, String> buildArgs,
      String targetStage,
      List<String> extraFlags,
      List<String> platforms) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    boolean multiPlatform = platforms.size() > 1;
    if (multiPlatform) {
      command.addAll(List.of("buildx", "build", "--push"));
    } else {
      command.add("build");
    }
    command.addAll(List.of("--file", dockerfile, "--tag", image));
    buildArgs.forEach((key, value) -> command.addAll(List.of("--build-arg", key + "=" + value)));
    if (targetStage != null && !targetStage.isBlank()) {
      command.addAll(List.of("--target", targetStage));
    }
    if (!platforms.isEmpty()) {
      command.addAll(List.of("--platform", String.join(",", platforms)));
    }
    command.addAll(extraFlags);
    command.add(context.toString());
    return command;
  }

  /** Whether a Docker engine answers the docker CLI here (within a few seconds). */
  boolean engineAnswers(Map<String, String> env, Path workDir) {
    try {
      return runner
          .run(
              "docker version",
              List.of("docker", "version", "--format", "{{.Server.Version}}"),
              workDir,
              env,
              (stream, line) -> {},
              new Cancellation(),
              Duration.ofSeconds(5))
          .succeeded();
    } catch (ActionException e) {
      return false; // no docker CLI, or it hung: no engine to use
    }
  }

  /** Builds (and for a registry image, pushes) with the docker CLI; fails naming the step. */
  void build(ActionContext context, List<String> buildCommand, String image, boolean push)
      throws ActionException {
    run(context, buildCommand, "docker build");
    if (push && !buildCommand.contains("--push")) {
      run(context, List.of("docker", "push", image), "docker push");
    }
  }

  /** The commands that publish a built image under another name (pulled first when pushed). */
  static List<List<String>> publishCommands(String built, String published, boolean pull) {
    List<List<String>> commands = new ArrayList<>();
    if (pull) {
      commands.add(List.of("docker", "pull", built));
    }
    commands.add(List.of("docker", "tag", built, published));
    commands.add(List.of("docker", "push", published));
    return commands;
  }

  void publish(ActionContext context, String built, String published, boolean pull)
      throws ActionException {
    for (List<String> command : publishCommands(built, published, pull)) {
      run(context, command, "docker " + command.get(1));
    }
  }

  private void run(ActionContext context, List<String> command, String step)
      throws ActionException {
    ProcessRunner.Result result =
        runner.run(
            context.ref().toString(),
            command,
            context.sourceDir(),
            context.env(),
            context.log(),
            context.cancellation(),
            context.timeout());
    if (!result.succeeded()) {
      throw new ActionException(
          ActionCodes.BUILD_FAILED,
          context.ref() + ": `" + step + "` exited with code " + result.exitCode() + ".",
          "See the docker output above; `docker login HOST` if the registry refused the push.");
    }
  }
}
