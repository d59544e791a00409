package dev.grove.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's Chromium, headless, driven by Selenium through its
 * chromedriver): examples/shop's graph, a deploy started from the page colouring the nodes live, a
 * Deploy's pod logs, a failing deploy's error and suggestion, a broken save shown and recovered,
 * and the login and Origin defences. Screenshots of these states go to {@code
 * target/dashboard-screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardE2E {
  private static final Path SHOP = Path.of("../examples/shop").toAbsolutePath().normalize();
  private static final Path BROKEN =
      Path.of("src/test/resources/projects/dashboard-broken").toAbsolutePath();
  private static final Path SHOTS = Path.of("target/dashboard-screenshots").toAbsolutePath();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir static Path dir;
  private static GroveProcess grove;
  private static WebDriver browser;
  private static int registryPort;
  private static Path shop;

  @BeforeAll
  static void setUp() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
    Files.createDirectories(SHOTS);
    grove = new GroveProcess(Files.createDirectories(dir.resolve("grove-home")), dir);
    registryPort = GroveProcess.freePort();
    grove.sandboxUp(registryPort).close();
    shop = GroveProcess.copyTree(SHOP, dir.resolve("shop"));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (grove != null) {
      grove.stopDaemonAndSandbox();
    }
  }

  /** {@code grove dashboard} for the project: the one-time link it prints. */
  private static String link(Path project) throws Exception {
    GroveProcess.Result result =
        grove.run(
            "dashboard",
            "--no-open",
            "--root",
            project.toString(),
            "--var",
            "registryPort=" + registryPort);
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    String url = result.out().strip();
    assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/ui/login\\?code=[A-Za-z0-9_-]{43}");
    return url;
  }

  private static WebDriverWait await(int seconds) {
    return new WebDriverWait(browser, Duration.ofSeconds(seconds));
  }

  private static void screenshot(String name) throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static WebElement node(String ref) {
    return browser.findElement(By.cssSelector("#nodes .node[data-ref='" + ref + "']"));
  }

  @Test
  @Order(1)
  void theShopsGraphIsDrawnWithItsFourActionsAndTheirEdges() throws Exception {
    browser.get(link(shop));
    await(20).until(d -> d.findElements(By.cssSelector("#nodes .node")).size() == 4);
    assertThat(browser.getCurrentUrl()).as("the code leaves the address bar").endsWith("/ui/");
    List<String> refs =
        browser.findElements(By.cssSelector("#nodes .node")).stream()
            .map(e -> e.getAttribute("data-ref"))
            .sorted()
            .toList();
    assertThat(refs).containsExactly("build.backend", "build.web", "deploy.backend", "deploy.web");
    List<String> edges =
        browser.findElements(By.cssSelector("#edges .edge")).stream()
            .map(e -> e.getAttribute("data-from") + " -> " + e.getAttribute("data-to"))
            .sorted()
            .toList();
    assertThat(edges)
        .containsExactly(
            "build.backend -> deploy.backend",
            "build.web -> deploy.web",
            "deploy.backend -> deploy.web");
    assertThat(browser.findElement(By.id("project")).getText()).isEqualTo("shop · dev");
    screenshot("1-graph");
  }

  @Test
  @Order(2)
  void aDeployStartedFromThePageColoursTheNodesLive() throws Exception {
    ((JavascriptExecutor) browser)
        .executeScript(
            "window.groveStates = {};"
                + "new MutationObserver(changes => changes.forEach(c => {"
                + "  const ref = c.target.getAttribute('data-ref');"
                + "  (window.groveStates[ref] = window.groveStates[ref] || [])"
                + "    .push(c.target.getAttribute('data-state'));"
                + "})).observe(document.querySelector('#nodes'),"
                + "  {subtree: true, attributes: true, attributeFilter: ['data-state']});");
    browser.findElement(By.cssSelector("header button[data-command='deploy']")).click();
    await(5)
        .until(
            d ->
                !d.findElements(By.cssSelector("#nodes .node.processing, #nodes .node.checking"))
                        .isEmpty()
                    || "succeeded".equals(node("deploy.web").getAttribute("data-state")));
    screenshot("2-deploying");
    await(150).until(d -> "succeeded".equals(node("deploy.web").getAttribute("data-state")));
    screenshot("3-deployed");
    @SuppressWarnings("unchecked")
    Map<String, List<String>> states =
        (Map<String, List<String>>)
            ((JavascriptExecutor) browser).executeScript("return window.groveStates;");
    for (String ref : List.of("build.web", "deploy.backend", "deploy.web")) {
      List<String> seen = states.get(ref);
      assertThat(seen).as(ref + " went through processing, then succeeded").contains("processing");
      assertThat(seen.lastIndexOf("succeeded")).isGreaterThan(seen.indexOf("processing"));
    }
    assertThat(node("deploy.web").getAttribute("class")).contains("succeeded");
  }

  @Test
  @Order(3)
  void aDeploysPodLogsAppearInItsPanel() throws Exception {
    node("deploy.web").click();
    await(5)
        .until(d -> d.findElement(By.cssSelector("#tab-action h2")).getText().equals("deploy.web"));
    assertThat(browser.findElement(By.id("action-state")).getText()).startsWith("succeeded");
    await(60).until(d -> d.findElement(By.id("pod-logs")).getText().contains("web-"));
    await(10)
        .until(
            d -> d.findElement(By.id("action-spec")).getText().contains("\"containerPort\": 3000"));
    assertThat(browser.findElement(By.id("action-spec")).getText())
        .as("the spec with its templates resolved")
        .contains("\"SHOP_ENV\": \"dev\"");
    screenshot("4-pod-logs");
    node("build.web").click();
    await(5)
        .until(d -> d.findElement(By.cssSelector("#tab-action h2")).getText().equals("build.web"));
    assertThat(browser.findElement(By.id("run-log")).getText())
        .as("the Build's run log, from the events")
        .contains("pushed 127.0.0.1:" + registryPort + "/shop/web:");
  }

  @Test
  @Order(4)
  void aFailingDeployShowsItsErrorAndSuggestion() throws Exception {
    Path broken = GroveProcess.copyTree(BROKEN, dir.resolve("broken"));
    browser.get(link(broken));
    await(20).until(d -> d.findElements(By.cssSelector("#nodes .node")).size() == 4);
    assertThat(node("deploy.api").getAttribute("class"))
        .as("a field Grove does not act on is marked")
        .contains("not-acted-on");
    assertThat(node("deploy.slow").getAttribute("class")).doesNotContain("not-acted-on");
    node("deploy.api").click();
    assertThat(browser.findElement(By.id("not-acted-on")).getText()).contains("stopCommand");
    browser.findElement(By.id("start-action")).click();
    await(60).until(d -> "failed".equals(node("deploy.api").getAttribute("data-state")));
    WebElement error = await(10).until(d -> d.findElement(By.id("action-error")));
    assertThat(error.getText())
        .contains("COMMAND_FAILED")
        .contains("exited with code 2")
        .contains("bind: address already in use")
        .contains("→ ");
    assertThat(browser.findElement(By.id("run-log")).getText()).contains("starting api");
    screenshot("5-failed-deploy");

    // a broken save: its problem (file and line) over the last graph; the next good save recovers
    Path config = broken.resolve("garden.yml");
    String good = Files.readString(config);
    Files.writeString(config, good.replace("name: api", "name: api\n  bogusField: [1"));
    // the project's warnings show too (stopCommand): the save's error is what marks the box failing
    WebElement problems =
        await(30)
            .until(
                d -> {
                  WebElement box = d.findElement(By.id("problems"));
                  return "failing".equals(box.getAttribute("class")) ? box : null;
                });
    assertThat(problems.getText()).contains("garden.yml:").contains("Invalid YAML");
    screenshot("6-broken-save");
    Files.writeString(config, good);
    await(30).until(d -> !"failing".equals(d.findElement(By.id("problems")).getAttribute("class")));
    assertThat(browser.findElement(By.id("problems")).getText())
        .doesNotContain("Invalid YAML")
        .contains("stopCommand");
    assertThat(browser.findElements(By.cssSelector("#nodes .node"))).hasSize(4);
  }

  @Test
  @Order(5)
  void aRunIsCancelledAWatchStartsAndStopsATestsResultAndTheTimelineShow() throws Exception {
    // a Test started from its panel: its last result shows
    node("test.unit").click();
    browser.findElement(By.id("start-action")).click();
    await(60).until(d -> "succeeded".equals(node("test.unit").getAttribute("data-state")));
    node("test.unit").click();
    await(10)
        .until(d -> d.findElement(By.id("last-result")).getText().contains("12 checks passed"));
    assertThat(browser.findElement(By.id("last-result")).getText()).startsWith("passed");

    // a long deploy, cancelled from the runs
    node("deploy.slow").click();
    browser.findElement(By.id("start-action")).click();
    await(30).until(d -> "processing".equals(node("deploy.slow").getAttribute("data-state")));
    browser.findElement(By.cssSelector("aside nav button[data-tab='runs']")).click();
    WebElement cancel = await(10).until(d -> d.findElement(By.cssSelector("#runs li button")));
    cancel.click();
    await(30).until(d -> "cancelled".equals(node("deploy.slow").getAttribute("data-state")));
    await(10).until(d -> !d.findElements(By.cssSelector("#timeline .bar")).isEmpty());
    assertThat(browser.findElement(By.id("timeline")).getText()).contains("deploy.slow");
    screenshot("7-cancelled-run");

    // a watch, started and stopped from the page
    browser.findElement(By.id("watch")).click();
    await(10).until(d -> d.findElement(By.id("watch")).getText().equals("Stop watch"));
    GroveProcess.Result watching = grove.run("runs");
    assertThat(watching.out())
        .containsPattern("watch-\\S+  deploy --watch broken  (watching|running)");
    browser.findElement(By.id("watch")).click();
    await(10).until(d -> d.findElement(By.id("watch")).getText().equals("Watch"));
    assertThat(grove.run("runs").out()).doesNotContainPattern("--watch broken  (watching|running)");
  }

  @Test
  @Order(6)
  void aLoginWithoutTheOneTimeCodeIsRefused() throws Exception {
    String link = link(shop);
    String base = link.substring(0, link.indexOf("/ui/"));
    browser.manage().deleteAllCookies();
    browser.get(base + "/ui/login");
    assertThat(browser.findElement(By.tagName("h1")).getText())
        .isEqualTo("This login link was used or has expired");
    browser.get(base + "/ui/login?code=not-the-code");
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("used or has expired");
    browser.get(base + "/ui/");
    WebElement problems =
        await(10)
            .until(
                d -> {
                  WebElement box = d.findElement(By.id("problems"));
                  return box.isDisplayed() ? box : null;
                });
    assertThat(problems.getText()).contains("The dashboard cannot start");
    screenshot("8-no-session");

    // the link works once: a second use is refused
    browser.get(link);
    await(20).until(d -> d.findElements(By.cssSelector("#nodes .node")).size() == 4);
    browser.manage().deleteAllCookies();
    browser.get(link);
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("used or has expired");
  }

  @Test
  @Order(7)
  void aRequestWithAForeignOriginIsRefused() throws Exception {
    String link = link(shop);
    browser.get(link);
    await(20).until(d -> d.findElements(By.cssSelector("#nodes .node")).size() == 4);
    Cookie session = browser.manage().getCookieNamed("grove_session");
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    Object csrf =
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[0];"
                    + "fetch('/api/v1/dashboard/session').then(r => r.json()).then(s => done(s.csrf));");
    String base = link.substring(0, link.indexOf("/ui/"));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/runs"))
            .header("Cookie", "grove_session=" + session.getValue())
            .header("X-Grove-CSRF", String.valueOf(csrf))
            .header("Content-Type", "application/json");
    HttpResponse<String> foreign =
        http.send(
            request
                .copy()
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.body()).contains("FORBIDDEN").contains("Origin http://evil.example");

    // a cross-site websocket to the events is refused too
    try {
      http.newWebSocketBuilder()
          .header("Cookie", "grove_session=" + session.getValue())
          .header("Origin", "http://evil.example")
          .buildAsync(
              URI.create(base.replace("http", "ws") + "/api/v1/events?since=0"),
              new java.net.http.WebSocket.Listener() {})
          .get(10, TimeUnit.SECONDS);
      throw new AssertionError("a websocket with a foreign Origin was accepted");
    } catch (java.util.concurrent.ExecutionException | CompletionException e) {
      assertThat(e.getCause())
          .isInstanceOfSatisfying(
              java.net.http.WebSocketHandshakeException.class,
              refused -> assertThat(refused.getResponse().statusCode()).isEqualTo(403));
    }

    // the page's own origin with the token works
    HttpResponse<String> own =
        http.send(request.copy().GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(own.statusCode()).isEqualTo(200);
  }
}
