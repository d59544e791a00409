import dev.grove.actions.helm.HelmOps.Bounds;
import dev.grove.actions.helm.HelmOps.ChartRef;
import dev.grove.actions.helm.HelmOps.Values;
import dev.grove.actions.helm.HelmProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The cost of Helm in the daemon (bench/helm.sh): creating the daemon's HelmProcess, the first
 * call (worker JVM start + native library load), warm calls, and the worker's RSS. Renders
 * actions' test chart offline (helm template), so no cluster is needed.
 *
 * <p>Usage: java -cp DAEMON_CLASSPATH bench/HelmCalls.java HELM_HOME CHART WARM_CALLS
 */
public class HelmCalls {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    ChartRef chart = ChartRef.local(Path.of(args[1]));
    int warmCalls = Integer.parseInt(args[2]);
    boolean extracted = Files.isDirectory(home.resolve("lib"));
    Bounds bounds = new Bounds(Duration.ofMinutes(5), null);
    Values values = new Values(List.of(), "greeting: bench\n");

    // the daemon has SLF4J loaded when it creates its HelmProcess: so does this
    org.slf4j.LoggerFactory.getLogger(HelmCalls.class);
    long t0 = System.nanoTime();
    HelmProcess helm = new HelmProcess(home);
    long created = System.nanoTime() - t0;
    try {
      long t1 = System.nanoTime();
      helm.template(chart, "bench", "default", values, List.of(), bounds);
      long first = System.nanoTime() - t1;
      long[] warm = new long[warmCalls];
      for (int i = 0; i < warmCalls; i++) {
        long t = System.nanoTime();
        helm.template(chart, "bench", "default", values, List.of(), bounds);
        warm[i] = System.nanoTime() - t;
      }
      Arrays.sort(warm);
      long pid = helm.workerPid().orElseThrow();
      String rss =
          Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
              .filter(line -> line.startsWith("VmRSS"))
              .map(line -> line.replaceAll("\\D+", ""))
              .findFirst()
              .orElse("0");
      System.out.printf(
          "%-34s %8.2f ms%n", "new HelmProcess (daemon start)", created / 1e6);
      System.out.printf(
          "%-34s %8d ms%n",
          extracted ? "first call (library cached)" : "first call (extracts the library)",
          first / 1_000_000);
      System.out.printf(
          "%-34s %8d ms (min %d, max %d)%n",
          "warm call, median of " + warmCalls,
          warm[warmCalls / 2] / 1_000_000,
          warm[0] / 1_000_000,
          warm[warmCalls - 1] / 1_000_000);
      System.out.printf("%-34s %8d MiB%n", "worker RSS", Long.parseLong(rss) / 1024);
    } finally {
      helm.close();
    }
  }
}
