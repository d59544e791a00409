package dev.grove.orchestrator.daemon;

import dev.grove.actions.ActionTypes;
import dev.grove.actions.helm.HelmProcess;
import dev.grove.actions.kube.KubeClients;
import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.process.ProcessRecords;
import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.registry.GoogleAdc;
import dev.grove.actions.registry.RegistryCredentials;
import dev.grove.actions.registry.RegistryStatus;
import dev.grove.actions.registry.artifact.ArtifactAdmins;
import dev.grove.actions.registry.cleanup.ImageCleanup;
import dev.grove.api.http.DaemonInfo;
import dev.grove.orchestrator.events.EventBus;
import dev.grove.orchestrator.http.DaemonVerticle;
import dev.grove.orchestrator.project.ImageCleanupService;
import dev.grove.orchestrator.project.ProjectService;
import dev.grove.orchestrator.router.ActionRouter;
import dev.grove.orchestrator.solver.Limits;
import dev.grove.orchestrator.solver.Runs;
import dev.grove.orchestrator.watch.Watches;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of a running daemon: one Vertx, the HTTP verticle on 127.0.0.1, and the
 * daemon.json that tells clients where it is. {@link DaemonMain} runs it; tests start it in-process
 * with a fake {@link ProjectService} and an exit callback that does not end the JVM.
 */
public final class Daemon {
  public static final String HOST = "127.0.0.1";
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
  private static final long HOUSEKEEPING_PERIOD_MS = 20_000;

  /** How often the daemon checks that its daemon.json is still there and still names it. */
  static final long OWNERSHIP_CHECK_MS = 2_000;

  private final Vertx vertx;
  private final DaemonInfoFile infoFile;
  private final DaemonLock lock;
  private final Runnable exit;
  private final HelmProcess helm;
  private final long pid = ProcessHandle.current().pid();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile DaemonInfo info;

  private java.util.function.Supplier<Future<Void>> goodbye = Future::succeededFuture;

  private Daemon(
      Vertx vertx, DaemonInfoFile infoFile, DaemonLock lock, Runnable exit, HelmProcess helm) {
    this.vertx = vertx;
    this.infoFile = infoFile;
    this.lock = lock;
    this.exit = exit;
    this.helm = helm;
  }

  /**
   * Takes the home's {@link DaemonLock}, starts the server on a free loopback port, then writes
   * daemon.json. Fails with {@link DaemonAlreadyRunningException} when another daemon holds the
   * lock, with an {@link java.io.IOException} when the home cannot be written (a full disk).
   *
   * <p>This is the composition root: the daemon's Vertx, its cluster clients (on that Vertx, with
   * the sandbox starter), its persistent processes and command runner (each with its records under
   * the home), the action types' registry and router built from them, and the services given the
   * router; nothing is reached through a global.
   *
   * @param projects the project service, given the router (its action types)
   * @param exit runs after a requested shutdown has closed everything (System.exit in production)
   */
  public static Future<Daemon> start(
      Path groveHome,
      Function<ActionRouter, ProjectService> projects,
      String buildId,
      Runnable exit) {
    Objects.requireNonNull(projects, "projects");
    DaemonLock lock;
    try {
      // first: a second daemon must not touch what the first one runs (its processes below)
      lock = DaemonLock.acquire(groveHome, ProcessHandle.current().pid());
    } catch (java.io.IOException | DaemonAlreadyRunningException e) {
      return Future.failedFuture(e);
    }
    Vertx vertx = Vertx.vertx();
    // the Kubernetes API traffic of Deploys rides the daemon's event loops, not a second pool
    KubeClients clients = new KubeClients(vertx, SandboxProcess.fromSystem());
    PersistentProcesses processes = new PersistentProcesses();
    int orphans = processes.useRecords(groveHome.resolve("processes"));
    if (orphans > 0) {
      LOG.warn(
          "Stopped {} persistent process(es) a previous daemon left running (it did not exit"
              + " cleanly)",
          orphans);
    }
    ProcessRecords commandRecords = new ProcessRecords();
    int commands = commandRecords.use(groveHome.resolve("processes").resolve("commands"));
    if (commands > 0) {
      LOG.warn(
          "Stopped {} command(s) of runs a previous daemon left running (it did not exit"
              + " cleanly)",
          commands);
    }
    commandRecords.stopAllAtExit();
    // Helm runs in a worker process started by the first Helm call; it ends with this one
    HelmProcess helm = new HelmProcess(groveHome.resolve("helm"));
    ActionRouter router =
        new ActionRouter(
            ActionTypes.standard(clients, processes, new ProcessRunner(commandRecords), helm),
            ActionRouter.Preparation.sandbox(clients));
    ProjectService service = Objects.requireNonNull(projects.apply(router), "service");
    Daemon daemon = new Daemon(vertx, new DaemonInfoFile(groveHome), lock, exit, helm);
    String token = newToken();
    EventBus events = new EventBus();
    Runs runs = new Runs(service, router, events::publish, Limits.defaults());
    Watches watches = new Watches(service, runs, events::publish);
    Housekeeping housekeeping = new Housekeeping(service, runs);
    vertx.setPeriodic(
        HOUSEKEEPING_PERIOD_MS, id -> vertx.executeBlocking(housekeeping::tick, false));
    DaemonVerticle verticle =
        new DaemonVerticle(
            new DaemonVerticle.Settings(
                HOST, 0, token, buildId, groveHome.resolve(GroveHome.LOG_FILE)),
            service,
            router,
            clients,
            runs,
            events,
            new ImageCleanupService(
                service,
                new ImageCleanup(
                    new RegistryCredentials(),
                    new RegistryStatus(),
                    ArtifactAdmins.standard(GoogleAdc.standard()))),
            daemon::shutdown);
    verticle.withWatches(watches);
    verticle.withWorkflows(
        new dev.grove.orchestrator.workflow.Workflows(service, runs, events::publish));
    daemon.goodbye = verticle::stopping;
    return vertx
        .deployVerticle(verticle)
        .compose(
            deployment ->
                vertx.executeBlocking(
                    () -> {
                      DaemonInfo written =
                          new DaemonInfo(verticle.actualPort(), daemon.pid, token, buildId);
                      daemon.infoFile.write(written);
                      return written;
                    }))
        .map(
            written -> {
              daemon.info = written;
              LOG.info(
                  "Grove daemon listening on {}:{} (pid {}, build {})",
                  HOST,
                  written.port(),
                  written.pid(),
                  buildId);
              vertx.setPeriodic(OWNERSHIP_CHECK_MS, id -> daemon.checkOwnership(id));
              return daemon;
            })
        .recover(
            failure -> {
              helm.close();
              lock.close();
              return vertx.close().transform(ignored -> Future.failedFuture(failure));
            });
  }

  public DaemonInfo info() {
    return info;
  }

  /** The daemon's Helm (tests: its worker starts on the first call and ends with the daemon). */
  HelmProcess helm() {
    return helm;
  }

  public Path infoFile() {
    return infoFile.path();
  }

  /**
   * Removes daemon.json (if still ours), starts closing vert.x and runs the exit callback without
   * waiting for the close: Netty's graceful shutdown takes seconds, and a user waiting on {@code
   * grove daemon stop} should not. Idempotent.
   */
  public Future<Void> shutdown() {
    if (!stopping.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    LOG.info("Grove daemon shutting down");
    removeInfoFile();
    helm.close(); // a Helm call stuck in its worker must not outlive the daemon
    Future<Void> told = goodbye.get(); // streaming clients learn why their stream ends
    Future<Void> closed =
        told.compose(
            ignored ->
                vertx
                    .close()
                    .onFailure(failure -> LOG.warn("Closing vert.x failed", failure))
                    // in production the exit ends the process first, which releases it as well
                    .onComplete(done -> lock.close()));
    told.onComplete(ignored -> exit.run());
    return closed;
  }

  /**
   * Stops the daemon when its daemon.json was deleted (with its GROVE_HOME, say) or names another
   * daemon: no client can reach it any more, and a new daemon may already serve the home. Gradle's
   * daemon expires the same way when its registry goes. The file is read on a worker thread.
   */
  private void checkOwnership(long timer) {
    if (stopping.get()) {
      vertx.cancelTimer(timer);
      return;
    }
    vertx
        .executeBlocking(
            () -> {
              if (!java.nio.file.Files.exists(infoFile.path())) {
                return infoFile.path() + " was deleted";
              }
              return infoFile
                  .read()
                  .filter(other -> other.pid() != pid)
                  .map(other -> infoFile.path() + " names another daemon (pid " + other.pid() + ")")
                  .orElse(null);
            },
            false)
        .onSuccess(
            lost -> {
              if (lost != null && !stopping.get()) {
                vertx.cancelTimer(timer);
                LOG.warn(
                    "{}: no client can reach this daemon any more; it stops (with what it runs)",
                    lost);
                shutdown();
              }
            });
  }

  /** Removes daemon.json when it still holds this process's pid (a newer daemon may own it). */
  public void removeInfoFile() {
    infoFile.deleteIfOwnedBy(pid);
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
