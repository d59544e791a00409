import java.io.File;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Opens dashboard login links in headless Chromium and prints, for each, the milliseconds from
 * the link's navigation start (login redirect included) until the page had drawn the laid-out
 * graph ({@code body[data-drawn-ms]}, set by the page), how long of that the layout request took
 * (the daemon's part), and how many nodes it drew.
 *
 * <p>Usage (bench/dashboard.sh runs it): {@code java -cp <e2e test classpath>
 * bench/DashboardLoad.java URL...}
 */
public class DashboardLoad {
  public static void main(String[] urls) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(new File("/usr/bin/chromium"));
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1400,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    WebDriver browser = new ChromeDriver(service, options);
    try {
      for (String url : urls) {
        browser.manage().deleteAllCookies();
        browser.get(url);
        new WebDriverWait(browser, Duration.ofSeconds(60))
            .until(d -> d.findElement(By.tagName("body")).getAttribute("data-drawn-ms") != null);
        String drawn = browser.findElement(By.tagName("body")).getAttribute("data-drawn-ms");
        Object nodes =
            ((JavascriptExecutor) browser)
                .executeScript("return document.querySelectorAll('#nodes .node').length;");
        // the daemon's part: the layout request (project load + ELK, or the cache)
        Object layout =
            ((JavascriptExecutor) browser)
                .executeScript(
                    "const e = performance.getEntriesByType('resource')"
                        + ".filter(r => r.name.endsWith('/dashboard/layout'))[0];"
                        + "return e ? Math.round(e.duration) : -1;");
        System.out.println(drawn + " " + layout + " " + nodes);
      }
    } finally {
      browser.quit();
    }
  }
}
