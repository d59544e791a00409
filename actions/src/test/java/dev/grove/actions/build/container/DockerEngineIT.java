package dev.grove.actions.build.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.provider.TestProviders;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.Cancellation;
import dev.grove.actions.spi.KubeContext;
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
        ActionContext.builder(
                ActionRef.parse("build.tool").orElseThrow(), "container", "v-0000000001")
            .spec(Map.of())
            .dirs(source, dir)
            .env(env)
            .timeout(Duration.ofMinutes(5))
            .log((stream, line) -> lines.add(line))
            .cancellation(new Cancellation())
            .outputs(Map.of("deploymentImageId", "grove-it-tool:v-0000000001"))
            .extension(
                KubeContext.class,
                new KubeContext(TestProviders.kubernetes(Optional.empty(), "local-docker"), null))
            .build();
    new ContainerBuildType(new ProcessRunner()).handler().process(context);
    assertThat(lines).isNotEmpty();
  }
}
