package dev.grove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grove.api.http.Routes;
import dev.grove.api.project.ProjectSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option parsing and project discovery, against a fake daemon. */
class MainTest {
  @TempDir Path tmp;
  private Path home;
  private Path project;
  private FakeDaemon daemon;

  @BeforeEach
  void setUp() throws Exception {
    home = tmp.resolve("grove-home");
    project = Files.createDirectories(tmp.resolve("shop"));
    Files.writeString(project.resolve("project.garden.yml"), "kind: Project\nname: shop\n");
    daemon = new FakeDaemon("b1");
    daemon.advertiseIn(home, FakeDaemon.TOKEN);
    daemon.answer(Routes.VALIDATE, 200, new ProjectSummary("shop", "dev", List.of(), List.of()));
  }

  @AfterEach
  void tearDown() {
    daemon.close();
  }

  @Test
  void rejectsAMalformedVarWithExitCode2() {
    CliRun run = CliRun.run(project, home, null, "validate", "--var", "novalue");
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("--var 'novalue' is not KEY=VALUE");
    assertThat(daemon.requestBodies).isEmpty();
  }

  @Test
  void rejectsAnUnknownOutputNamingTheValidOnes() {
    CliRun run = CliRun.run(project, home, null, "validate", "--output", "yaml");
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("yaml").contains("text, json");
  }

  @Test
  void rejectsAnUnknownGraphFormat() {
    CliRun run = CliRun.run(project, home, null, "graph", "--format", "svg");
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("text, dot, mermaid");
  }

  @Test
  void findsTheProjectRootUpwardFromTheWorkingDirectory() throws Exception {
    Path deep = Files.createDirectories(project.resolve("services/api/src"));

    CliRun run =
        CliRun.run(deep, home, null, "validate", "--env", "dev", "--var", "a=1", "--var", "b=x=y");

    assertThat(run.exitCode).as(run.err).isEqualTo(0);
    // The fast path sends the request straight away: no health check first.
    JsonNode sent = dev.grove.cli.TestJson.MAPPER.readTree(daemon.requestBodies.get(0));
    assertThat(sent.get("root").asText()).isEqualTo(project.toString());
    assertThat(sent.get("cwd").asText()).isEqualTo(deep.toString());
    assertThat(sent.get("environment").asText()).isEqualTo("dev");
    assertThat(sent.get("vars").get("a").asText()).isEqualTo("1");
    assertThat(sent.get("vars").get("b").asText()).isEqualTo("x=y");
    assertThat(sent.get("env").get("KUBECONFIG").asText()).isEqualTo("/home/u/.kube/config");
  }

  @Test
  void updateRemoteRemovesTheClonesOfWhatItNamesThenValidates() throws Exception {
    Path clones = project.resolve(".grove/sources");
    Files.createDirectories(clones.resolve("project/lib--0123456789/api"));
    Files.writeString(clones.resolve("project/lib--0123456789/api/garden.yml"), "kind: Build\n");
    Files.createDirectories(clones.resolve("action/build.api--0123456789"));

    CliRun run = CliRun.run(project, home, null, "update-remote", "sources");

    assertThat(run.exitCode).as(run.err).isEqualTo(0);
    assertThat(clones.resolve("project")).doesNotExist();
    assertThat(clones.resolve("action/build.api--0123456789")).isDirectory();
    assertThat(daemon.requestBodies).hasSize(1);

    CliRun wrong = CliRun.run(project, home, null, "update-remote", "modules");
    assertThat(wrong.exitCode).isEqualTo(2);
    assertThat(wrong.err).contains("sources, actions, all");
  }

  @Test
  void exitsWith2WhenNoProjectIsFound() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    CliRun run = CliRun.run(elsewhere, home, null, "validate");
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("no project.garden.yml").contains("--root");
  }

  @Test
  void exitsWith2WhenRootIsNotAFolder() {
    CliRun run = CliRun.run(project, home, null, "validate", "--root", "nope");
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("--root nope is not a folder");
  }

  @Test
  void printsHelpAndVersion() {
    CliRun help = CliRun.run(project, home, null, "validate", "--help");
    assertThat(help.exitCode).isEqualTo(0);
    assertThat(help.out).contains("--root", "--env", "--var", "--output");
    CliRun version = CliRun.run(project, home, null, "--version");
    assertThat(version.exitCode).isEqualTo(0);
    assertThat(version.out).startsWith("grove ");
  }

  @Test
  void exitsWith2WithoutACommand() {
    CliRun run = CliRun.run(project, home, null);
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("a command is missing");
  }
}
