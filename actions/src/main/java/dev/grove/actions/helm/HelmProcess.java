package dev.grove.actions.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's Helm: every call runs in a worker JVM ({@link HelmWorker}) started on the first
 * call, so Helm's native library never loads into the daemon, and a call past its deadline or
 * cancelled is ended the only way that ends a stuck Helm: SIGKILL of the worker. That call fails
 * with {@code TIMEOUT}/{@code CANCELLED} naming what Helm was doing, the other calls then in the
 * worker with {@code HELM_UNAVAILABLE}, and the next call starts a fresh worker. A worker idle for
 * {@link #IDLE} is stopped (it costs a JVM and Go's runtime); it also ends itself when this process
 * goes (its stdin closes).
 */
public final class HelmProcess implements HelmOps {
  /** How long an idle worker is kept: long enough for a dev loop's next deploy to find it warm. */
  public static final Duration IDLE = Duration.ofMinutes(5);

  /** The deadline of a call whose bounds give none. */
  static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(HelmProcess.class);
  private static final Duration ANSWER_GRACE = Duration.ofSeconds(30);
  private static final long MAX_LOG_BYTES = 4L << 20;

  private final HelmHome home;
  private final Duration idle;
  private final ScheduledThreadPoolExecutor timers;
  private final Object lock = new Object();
  private Worker worker;
  private ScheduledFuture<?> idleCheck;
  private long nextId;
  private boolean closed;

  /** Keeps Helm's files under {@code helmHome}; starts nothing until the first call. */
  public HelmProcess(Path helmHome) {
    this(helmHome, IDLE);
  }

  HelmProcess(Path helmHome, Duration idle) {
    this.home = new HelmHome(helmHome);
    this.idle = idle;
    // its thread starts with the first timer, i.e. the first call
    this.timers =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "helm-process-timers");
              thread.setDaemon(true);
              return thread;
            });
    timers.setRemoveOnCancelPolicy(true);
    // and ends when no timer is pending: an idle daemon keeps no thread for Helm
    timers.setKeepAliveTime(30, TimeUnit.SECONDS);
    timers.allowCoreThreadTimeOut(true);
  }

  @Override
  public String template(
      ChartRef chart,
      String releaseName,
      String namespace,
      Values values,
      List<RegistryLogin> logins,
      Bounds bounds)
      throws ActionException {
    ObjectNode request = HelmProtocol.request("template");
    HelmProtocol.chart(request, chart);
    HelmProtocol.values(request, values);
    HelmProtocol.logins(request, logins);
    request.put("release", releaseName).put("namespace", namespace);
    return call("helm template of chart " + chart.chart(), request, bounds).asText();
  }

  @Override
  public Release upgradeInstall(
      ChartRef chart,
      String releaseName,
      String namespace,
      Values values,
      String description,
      boolean atomic,
      boolean wait,
      Duration timeout,
      Cluster cluster,
      List<RegistryLogin> logins,
      Bounds bounds)
      throws ActionException {
    ObjectNode request = releaseRequest("upgradeInstall", releaseName, namespace, cluster);
    HelmProtocol.chart(request, chart);
    HelmProtocol.values(request, values);
    HelmProtocol.logins(request, logins);
    request
        .put("description", description)
        .put("atomic", atomic)
        .put("wait", wait)
        .put("timeoutMs", timeout.toMillis());
    return HelmProtocol.release(call("helm upgrade of release " + releaseName, request, bounds));
  }

  @Override
  public Optional<Release> status(
      String releaseName, String namespace, Cluster cluster, Bounds bounds) throws ActionException {
    JsonNode answer =
        call(
            "helm status of release " + releaseName,
            releaseRequest("status", releaseName, namespace, cluster),
            bounds);
    return answer.isNull() ? Optional.empty() : Optional.of(HelmProtocol.release(answer));
  }

  @Override
  public List<Release> history(String releaseName, String namespace, Cluster cluster, Bounds bounds)
      throws ActionException {
    List<Release> releases = new ArrayList<>();
    call(
            "helm history of release " + releaseName,
            releaseRequest("history", releaseName, namespace, cluster),
            bounds)
        .forEach(node -> releases.add(HelmProtocol.release(node)));
    return releases;
  }

  @Override
  public boolean uninstall(String releaseName, String namespace, Cluster cluster, Bounds bounds)
      throws ActionException {
    return call(
            "helm uninstall of release " + releaseName,
            releaseRequest("uninstall", releaseName, namespace, cluster),
            bounds)
        .asBoolean();
  }

  @Override
  public Path packageChart(Path chartDir, Path destination, Bounds bounds) throws ActionException {
    ObjectNode request =
        HelmProtocol.request("package")
            .put("chartDir", chartDir.toAbsolutePath().toString())
            .put("destination", destination.toAbsolutePath().toString());
    return Path.of(call("helm package of chart " + chartDir, request, bounds).asText());
  }

  @Override
  public void push(Path chartPackage, String remote, List<RegistryLogin> logins, Bounds bounds)
      throws ActionException {
    ObjectNode request =
        HelmProtocol.request("push")
            .put("package", chartPackage.toAbsolutePath().toString())
            .put("remote", remote);
    HelmProtocol.logins(request, logins);
    call("helm push of " + chartPackage.getFileName() + " to " + remote, request, bounds);
  }

  @Override
  public Lint lint(Path chartDir, Values values, Bounds bounds) throws ActionException {
    ObjectNode request =
        HelmProtocol.request("lint").put("chartDir", chartDir.toAbsolutePath().toString());
    HelmProtocol.values(request, values);
    return HelmProtocol.lint(call("helm lint of chart " + chartDir, request, bounds));
  }

  /** Kills the worker, if one runs; calls in it fail, later calls fail at once. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (worker != null) {
        worker.stop(null, null, "Grove's daemon is stopping");
      }
    }
    timers.shutdownNow();
  }

  /** The worker's pid while one runs (for tests and the daemon's status). */
  public OptionalLong workerPid() {
    synchronized (lock) {
      return worker == null ? OptionalLong.empty() : OptionalLong.of(worker.process.pid());
    }
  }

  private static ObjectNode releaseRequest(
      String op, String releaseName, String namespace, Cluster cluster) {
    return HelmProtocol.request(op)
        .put("release", releaseName)
        .put("namespace", namespace)
        .put("kubeconfig", cluster.kubeconfig());
  }

  // -- calls

  /** One call in a worker: what Helm does (for messages), and its answer. */
  private record Pending(String what, Duration deadline, CompletableFuture<JsonNode> answer) {}

  private JsonNode call(String what, ObjectNode request, Bounds bounds) throws ActionException {
    Duration deadline =
        bounds == null || bounds.deadline() == null || bounds.deadline().isZero()
            ? DEFAULT_DEADLINE
            : bounds.deadline();
    Cancellation cancellation = bounds == null ? null : bounds.cancellation();
    Pending pending = new Pending(what, deadline, new CompletableFuture<>());
    long id;
    Worker running;
    synchronized (lock) {
      if (closed) {
        throw new ActionException(
            ActionCodes.HELM_UNAVAILABLE,
            what + " was not started: Grove's daemon is stopping",
            "Run the command again once the daemon is back");
      }
      running = worker != null && worker.process.isAlive() ? worker : start();
      id = ++nextId;
      running.inFlight.put(id, pending);
      running.send(request.put("id", id));
    }
    ScheduledFuture<?> timer =
        timers.schedule(
            () -> running.stop(id, ActionCodes.TIMEOUT, null),
            deadline.toMillis(),
            TimeUnit.MILLISECONDS);
    Runnable onCancel =
        () ->
            running.stop(
                id,
                cancellation.reason() == Cancellation.Reason.TIMEOUT
                    ? ActionCodes.TIMEOUT
                    : ActionCodes.CANCELLED,
                null);
    if (cancellation != null) {
      cancellation.onCancel(onCancel);
    }
    try {
      return pending.answer().get(deadline.plus(ANSWER_GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ActionException failure) {
        throw new ActionException(failure.code(), failure.getMessage(), failure.suggestion());
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.stop(id, ActionCodes.CANCELLED, null);
      throw cancelled(what);
    } catch (TimeoutException e) {
      // the deadline's timer did not end it (a stuck timer thread): end it here
      running.stop(id, ActionCodes.TIMEOUT, null);
      throw timedOut(pending);
    } finally {
      timer.cancel(false);
      if (cancellation != null) {
        cancellation.removeListener(onCancel);
      }
      scheduleIdleCheck();
    }
  }

  private static ActionException timedOut(Pending pending) {
    return new ActionException(
        ActionCodes.TIMEOUT,
        pending.what() + " did not finish within " + goDuration(pending.deadline()),
        "Check that the cluster and the chart's registry answer; raise the action's timeout if"
            + " Helm needs longer");
  }

  private static ActionException cancelled(String what) {
    return new ActionException(
        ActionCodes.CANCELLED,
        what + " was cancelled (Helm's worker was stopped)",
        "Run it again when you want it");
  }

  /** One pending idle check at a time, from the last call's end. */
  private void scheduleIdleCheck() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (idleCheck != null) {
        idleCheck.cancel(false);
      }
      idleCheck = timers.schedule(this::stopIfIdle, idle.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void stopIfIdle() {
    synchronized (lock) {
      if (worker != null
          && worker.inFlight.isEmpty()
          && System.nanoTime() - worker.lastUsed >= idle.toNanos()) {
        LOG.debug("Stopping Helm's worker (pid {}): idle for {}", worker.process.pid(), idle);
        worker.stop(null, null, "it was idle");
      }
    }
  }

  /** The worker's command line: this JVM's java and classpath. */
  static List<String> workerCommand(HelmHome home) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Xss1m",
        // JNA's own stub is unpacked here, not in /tmp, should a killed worker leave it
        "-Djna.tmpdir=" + home.root().resolve("jna"),
        HelmWorker.class.getName(),
        home.root().toString());
  }

  /** Starts a worker; under the lock. */
  private Worker start() throws ActionException {
    ProcessBuilder builder = new ProcessBuilder(workerCommand(home));
    builder.environment().putAll(home.environment());
    try {
      Files.createDirectories(home.root());
      if (Files.isRegularFile(home.workerLog()) && Files.size(home.workerLog()) > MAX_LOG_BYTES) {
        Files.move(
            home.workerLog(),
            home.workerLog().resolveSibling("worker.log.1"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      builder.redirectError(ProcessBuilder.Redirect.appendTo(home.workerLog().toFile()));
      Worker started = new Worker(builder.start());
      worker = started;
      LOG.debug("Started Helm's worker (pid {})", started.process.pid());
      return started;
    } catch (IOException e) {
      throw new ActionException(
          ActionCodes.HELM_UNAVAILABLE,
          "Helm's worker process could not start: " + e.getMessage(),
          "Check that " + home.root() + " can be written and that Java can start processes");
    }
  }

  /** One worker process and the calls in it. */
  private final class Worker {
    final Process process;
    final Writer requests;
    final Map<Long, Pending> inFlight = new HashMap<>();
    volatile long lastUsed = System.nanoTime();
    private String stoppedBecause;

    Worker(Process process) {
      this.process = process;
      this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(this::readAnswers, "helm-worker-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    /** Under the lock. */
    void send(ObjectNode request) throws ActionException {
      lastUsed = System.nanoTime();
      try {
        requests.write(HelmProtocol.JSON.writeValueAsString(request));
        requests.write('\n');
        requests.flush();
      } catch (IOException e) {
        inFlight.remove(request.path("id").asLong());
        stop(null, null, "it did not take a request: " + e.getMessage());
        throw new ActionException(
            ActionCodes.HELM_UNAVAILABLE,
            "Helm's worker process did not take the request: " + e.getMessage(),
            "See " + home.workerLog() + "; run the command again (a new worker starts)");
      }
    }

    /**
     * Kills the worker. The call {@code id} (if any) fails with {@code code}; the others in it with
     * HELM_UNAVAILABLE, saying why.
     */
    void stop(Long id, String code, String why) {
      synchronized (lock) {
        Pending culprit = id == null ? null : inFlight.remove(id);
        if (id != null && culprit == null) {
          return; // answered meanwhile
        }
        ActionException failure = null;
        if (culprit != null) {
          failure =
              ActionCodes.TIMEOUT.equals(code) ? timedOut(culprit) : cancelled(culprit.what());
          why = failure.getMessage();
          culprit.answer().completeExceptionally(failure);
        }
        stoppedBecause = why;
        process.destroyForcibly();
        if (worker == this) {
          worker = null;
        }
        failAll("Helm's worker was stopped because " + why);
      }
    }

    /** Under the lock. */
    private void failAll(String message) {
      for (Pending other : inFlight.values()) {
        other
            .answer()
            .completeExceptionally(
                new ActionException(
                    ActionCodes.HELM_UNAVAILABLE,
                    other.what() + " did not finish: " + message,
                    "Run the command again (a new Helm worker starts)"));
      }
      inFlight.clear();
    }

    private void readAnswers() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith(HelmProtocol.ANSWER_PREFIX)) {
            complete(
                HelmProtocol.JSON.readTree(line.substring(HelmProtocol.ANSWER_PREFIX.length())));
          } else if (!line.isBlank()) {
            LOG.debug("helm worker: {}", line);
          }
        }
      } catch (IOException e) {
        LOG.debug("Reading Helm's worker's answers failed", e);
      }
      synchronized (lock) {
        if (worker == this) {
          worker = null;
        }
        if (!inFlight.isEmpty()) {
          String why = stoppedBecause;
          failAll(
              why != null
                  ? "Helm's worker was stopped because " + why
                  : "Helm's worker process exited (see " + home.workerLog() + ")");
        }
      }
    }

    private void complete(JsonNode answer) {
      Pending pending;
      synchronized (lock) {
        pending = inFlight.remove(answer.path("id").asLong());
        lastUsed = System.nanoTime();
      }
      if (pending == null) {
        return;
      }
      JsonNode error = answer.get("error");
      if (error != null) {
        pending
            .answer()
            .completeExceptionally(
                new ActionException(
                    error.path("code").asText(ActionCodes.HELM_FAILED),
                    error.path("message").asText(),
                    error.path("suggestion").asText()));
      } else {
        pending.answer().complete(answer.path("result"));
      }
    }
  }

  /** A duration as Go and Helm write it ({@code 5m0s}, {@code 90s} as {@code 1m30s}). */
  static String goDuration(Duration duration) {
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    double seconds = duration.toSecondsPart() + duration.toMillisPart() / 1000.0;
    String secondsText =
        seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    if (hours > 0) {
      return hours + "h" + minutes + "m" + secondsText + "s";
    }
    if (minutes > 0) {
      return minutes + "m" + secondsText + "s";
    }
    return secondsText + "s";
  }
}
