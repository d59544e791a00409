package dev.grove.sandbox.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.sandbox.apiserver.SandboxCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox as its own process, as the CLI starts and stops it. */
class SandboxMainIT {

  @TempDir Path dir;

  @Test
  void the_process_announces_its_api_serves_it_and_removes_the_file_on_sigterm() throws Exception {
    Path data = dir.resolve("sandbox");
    Process process = start(data, "--port", "0");
    try {
      Path apiFile = data.resolve(SandboxMain.API_FILE);
      String json = awaitFile(apiFile, process);
      Matcher url = Pattern.compile("\"apiUrl\": \"(https://127\\.0\\.0\\.1:\\d+)\"").matcher(json);
      Matcher pid = Pattern.compile("\"pid\": (\\d+)").matcher(json);
      assertThat(url.find()).as(json).isTrue();
      assertThat(pid.find()).as(json).isTrue();
      assertThat(Long.parseLong(pid.group(1))).isEqualTo(process.pid());
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(apiFile)))
          .isEqualTo("rw-------");

      HttpResponse<String> version =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(
                  SandboxCertificate.trusting(
                      new com.fasterxml.jackson.databind.ObjectMapper()
                          .readTree(json)
                          .path("certificate")
                          .asText()))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url.group(1) + "/version")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(version.statusCode()).isEqualTo(200);
      assertThat(version.body()).contains("\"gitVersion\":\"v1.32.0+grove-sandbox\"");

      Process second = start(data, "--port", "0");
      assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isEqualTo(1);
      assertThat(new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
          .contains("another sandbox (pid " + process.pid() + ")");

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("stopped within 15 s").isTrue();
      assertThat(apiFile).doesNotExist();
      assertThat(Files.readString(data.resolve(SandboxMain.LOG_FILE)))
          .contains("Kubernetes API on " + url.group(1))
          .contains("Stopped");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void bad_arguments_exit_2_with_the_usage() throws Exception {
    Process process = start(dir.resolve("sandbox"), "--port", "http");

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("--port http is not a number", "usage: SandboxMain --data DIR [--port N]");
  }

  @Test
  void without_a_token_it_exits_2_saying_so() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SandboxMain.class.getName());
    command.add("--data");
    command.add(dir.resolve("sandbox").toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().remove(SandboxMain.TOKEN_ENV);
    Process process = builder.start();

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("no token", SandboxMain.TOKEN_ENV);
  }

  private static Process start(Path data, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SandboxMain.class.getName());
    command.add("--data");
    command.add(data.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put(SandboxMain.TOKEN_ENV, "a-test-token");
    return builder.start();
  }

  private static String awaitFile(Path file, Process process) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        return Files.readString(file);
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "the sandbox exited with "
                + process.exitValue()
                + ": "
                + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      Thread.sleep(50);
    }
    throw new AssertionError(file + " did not appear in 30 s");
  }
}
