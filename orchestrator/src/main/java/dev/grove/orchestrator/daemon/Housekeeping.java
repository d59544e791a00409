package dev.grove.orchestrator.daemon;

import dev.grove.orchestrator.project.ProjectService;
import dev.grove.orchestrator.solver.Runs;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the daemon does between requests, once a period: drops the projects nobody asked for in a
 * while, and once projects were dropped, gives their heap back to the system.
 *
 * <p>The daemon's JVM (Serial GC, a small {@code -Xms}, {@code -XX:MaxHeapFreeRatio}) shrinks its
 * heap only in a full collection, which an idle daemon never has. A full collection of a few
 * hundred MiB pauses every thread for up to a second on a busy machine, so it runs only when it
 * gives something back (projects were dropped) and the daemon is idle: no run going on, and
 * (almost) nothing allocated since the last period. Garbage a load or a run left is not worth a
 * pause of its own: measured, a collection after a 1,000-action run gave nothing back (the small
 * {@code -Xms} is what keeps the heap small, BENCHMARKS.md).
 */
final class Housekeeping {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  /** Allocation over one period below which the daemon counts as idle (timers, health checks). */
  static final long IDLE_ALLOCATION = 4L << 20;

  private final ProjectService projects;
  private final IntSupplier running;
  private final LongSupplier usedHeap;
  private final Runnable collect;
  private long usedLastPeriod;
  private boolean dropped;

  Housekeeping(ProjectService projects, Runs runs) {
    this(
        projects,
        runs::running,
        () -> Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(),
        System::gc); // an explicit full collection is the point here
  }

  Housekeeping(
      ProjectService projects, IntSupplier running, LongSupplier usedHeap, Runnable collect) {
    this.projects = projects;
    this.running = running;
    this.usedHeap = usedHeap;
    this.collect = collect;
    this.usedLastPeriod = Long.MIN_VALUE;
  }

  /** One period's work; blocking (a collection), so on a worker thread. True if it collected. */
  synchronized boolean tick() {
    dropped |= projects.evictIdle() > 0;
    long used = usedHeap.getAsLong();
    boolean idle =
        running.getAsInt() == 0
            && usedLastPeriod != Long.MIN_VALUE
            && Math.abs(used - usedLastPeriod) < IDLE_ALLOCATION;
    usedLastPeriod = used;
    if (!idle || !dropped) {
      return false;
    }
    long started = System.nanoTime();
    long committed = Runtime.getRuntime().totalMemory();
    collect.run();
    usedLastPeriod = usedHeap.getAsLong();
    dropped = false;
    LOG.info(
        "Collected after dropping projects: heap in use {} → {} MiB, committed {} → {} MiB ({} ms)",
        used >> 20,
        usedLastPeriod >> 20,
        committed >> 20,
        Runtime.getRuntime().totalMemory() >> 20,
        (System.nanoTime() - started) / 1_000_000);
    return true;
  }
}
