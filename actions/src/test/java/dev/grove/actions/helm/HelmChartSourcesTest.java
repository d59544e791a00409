package dev.grove.actions.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.grove.actions.helm.HelmOps.ChartRef;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote charts through the worker, from a chart repository on 127.0.0.1: Helm's repository config
 * and cache are Grove's (the worker's environment), never the user's.
 */
@Timeout(300)
class HelmChartSourcesTest {
  @TempDir Path dir;
  private HelmProcess helm;
  private HttpServer repository;
  private String url;

  @BeforeEach
  void chartRepository() throws Exception {
    helm = new HelmProcess(dir.resolve("helm"));
    Path served = dir.resolve("served");
    Path chartPackage =
        helm.packageChart(Path.of(HelmFixtures.webChart().chart()), served, HelmFixtures.GENEROUS);
    assertThat(chartPackage).hasFileName("web-0.1.0.tgz").exists();
    repository = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    url = "http://127.0.0.1:" + repository.getAddress().getPort() + "/charts";
    Files.writeString(
        served.resolve("index.yaml"),
        """
        apiVersion: v1
        entries:
          web:
          - apiVersion: v2
            name: web
            version: 0.1.0
            appVersion: "1.0"
            urls: [%s/web-0.1.0.tgz]
        generated: "2026-12-03T00:00:00Z"
        """
            .formatted(url));
    repository.createContext(
        "/charts/",
        exchange -> {
          Path file = served.resolve(Path.of(exchange.getRequestURI().getPath()).getFileName());
          byte[] body = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
          exchange.sendResponseHeaders(
              body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    repository.start();
  }

  @AfterEach
  void stop() {
    helm.close();
    repository.stop(0);
  }

  @Test
  void aChartFromARepositoryRendersThroughGrovesRepositoryConfig() throws Exception {
    String manifests =
        HelmFixtures.render(
            helm,
            new ChartRef("web", Optional.of("0.1.0"), Optional.of(url)),
            HelmFixtures.fileThenInline());

    HelmFixtures.assertRenderedWithValues(manifests);
    assertThat(dir.resolve("helm/repositories.yaml")).content().contains(url);
    assertThat(dir.resolve("helm/cache/repository"))
        .isDirectoryContaining(file -> file.getFileName().toString().endsWith("-index.yaml"));
  }

  @Test
  void aChartFromAUrlRenders() throws Exception {
    HelmFixtures.assertRenderedWithValues(
        HelmFixtures.render(
            helm,
            new ChartRef(url + "/web-0.1.0.tgz", Optional.empty(), Optional.empty()),
            HelmFixtures.fileThenInline()));
  }

  @Test
  void anUnreachableRepositoryFailsFastWithWhatToDo() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    long started = System.nanoTime();

    assertThatThrownBy(
            () ->
                HelmFixtures.render(
                    helm,
                    new ChartRef(
                        "web",
                        Optional.empty(),
                        Optional.of("http://127.0.0.1:" + closedPort + "/charts")),
                    HelmOps.Values.NONE))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.HELM_FAILED);
              assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort);
              assertThat(e.suggestion()).contains("reachable");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
  }

  @Test
  void registryLoginsGoToGrovesRegistryConfig() throws Exception {
    // a plain-HTTP registry without charts
    List<String> pulls = new java.util.concurrent.CopyOnWriteArrayList<>();
    repository.createContext(
        "/v2/",
        exchange -> {
          pulls.add(exchange.getRequestURI().getPath());
          exchange.sendResponseHeaders(
              exchange.getRequestURI().getPath().equals("/v2/") ? 200 : 404, -1);
          exchange.close();
        });
    String host = "127.0.0.1:" + repository.getAddress().getPort();
    long started = System.nanoTime();

    assertThatThrownBy(
            () ->
                helm.template(
                    new ChartRef(
                        "oci://" + host + "/charts/web", Optional.of("0.1.0"), Optional.empty()),
                    "shop",
                    "team",
                    HelmOps.Values.NONE,
                    List.of(new HelmOps.RegistryLogin(host, "grove", "s3cret", true)),
                    HelmFixtures.GENEROUS))
        .isInstanceOfSatisfying(
            ActionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.HELM_FAILED);
              assertThat(e.getMessage()).contains("charts/web");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    assertThat(pulls)
        .as("Helm pulled over plain HTTP")
        .anyMatch(path -> path.startsWith("/v2/charts/web/"));
    // the login is Grove's registry config, the file Helm reads (HELM_CONFIG_HOME's; helm-java
    // does not honour HELM_REGISTRY_CONFIG)
    assertThat(dir.resolve("helm/config/registry/config.json"))
        .content()
        .contains("\"" + host + "\"")
        .contains(java.util.Base64.getEncoder().encodeToString("grove:s3cret".getBytes()));
  }
}
