package dev.grove.actions.build.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.Cancellation;
import dev.grove.api.action.ActionRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real `docker build` with RUN, where a Docker engine answers; skipped, saying so, elsewhere. */
class DockerEngineIT {
  @TempDir Path dir;

  @Test
  void theDockerBuilderRunsADockerfileWithRun() throws Exception {
    Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString());
    DockerBuilder docker = new DockerBuilder(new ProcessRunner());
    Assumptions.assumeTrue(
        docker.engineAnswers(env, dir),
        "No Docker engine answers on this machine (`docker version` fails): the real docker"
            + " build is skipped");
    Path source = Files.createDirectories(dir.resolve("tool"));
    Files.writeString(source.resolve("Dockerfile"), "FROM busybox\nRUN echo built > /built\n");
    List<String> lines = new ArrayList<>();
    ActionContext context =
        new ActionContext(
            ActionRef.parse("build.tool").orElseThrow(),
            "container",
            "v-0000000001",
            Map.of(),
            source,
            dir,
            env,
            Duration.ofMinutes(5),
            (stream, line) -> lines.add(line),
            new Cancellation(),
            Optional.empty(),
            Map.of("deploymentImageId", "grove-it-tool:v-0000000001"),
            ActionContext.Events.NONE,
            "local-docker",
            null);
    new ContainerBuildType().handler().process(context);
    assertThat(lines).isNotEmpty();
  }
}
