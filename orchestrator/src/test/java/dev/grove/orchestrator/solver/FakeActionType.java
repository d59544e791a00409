package dev.grove.orchestrator.solver;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An action type of the solver's tests, {@code fake} for Builds and Deploys: no process, no
 * cluster. Its handler records each operation, is ready when the spec says {@code ready: true},
 * fails the actions the test names, and holds the actions the test names until it lets them go or
 * the run cancels them.
 */
final class FakeActionType extends BaseActionType {
  private static final Schema.Obj SPEC = Schema.obj().any("ready").build();

  private final Handler handler;

  FakeActionType(ActionKind kind, Handler handler) {
    super(kind, "fake", SPEC, Set.of());
    this.handler = handler;
  }

  @Override
  public ActionHandler handler() {
    return handler;
  }

  /** Shared by the Build and the Deploy type, so one log holds the whole run. */
  static final class Handler implements ActionHandler {
    private final List<String> calls = new ArrayList<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Set<String> holding = ConcurrentHashMap.newKeySet();
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch held = new CountDownLatch(1);
    private int processing;
    private int mostAtOnce;

    void fail(String ref) {
      failing.add(ref);
    }

    void hold(String ref) {
      holding.add(ref);
    }

    void release() {
      released.countDown();
    }

    /** Waits until a held action's process started. */
    boolean awaitHeld() throws InterruptedException {
      return held.await(10, TimeUnit.SECONDS);
    }

    synchronized List<String> calls() {
      return List.copyOf(calls);
    }

    synchronized int mostAtOnce() {
      return mostAtOnce;
    }

    @Override
    public Status status(ActionContext context) {
      record("status " + context.ref());
      return Boolean.TRUE.equals(context.spec().get("ready"))
          ? new Status(true, "ready", Map.of("from", "status"))
          : Status.notReady("missing");
    }

    @Override
    public Outputs process(ActionContext context) throws ActionException {
      String ref = context.ref().toString();
      synchronized (this) {
        calls.add("process " + ref);
        mostAtOnce = Math.max(mostAtOnce, ++processing);
      }
      try {
        if (holding.contains(ref)) {
          CountDownLatch stop = new CountDownLatch(1);
          context.cancellation().onCancel(stop::countDown);
          held.countDown();
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (released.getCount() > 0 && stop.getCount() > 0 && System.nanoTime() < deadline) {
            try {
              stop.await(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              break;
            }
          }
          if (context.cancellation().isCancelled()) {
            throw new ActionException(ActionCodes.CANCELLED, ref + " was stopped.", null);
          }
        }
        if (failing.contains(ref)) {
          throw new ActionException("FAKE_FAILED", ref + " failed on purpose.", "Do not.");
        }
        return new Outputs(Map.of("from", "process"));
      } finally {
        record("done " + ref);
      }
    }

    private synchronized void record(String call) {
      if (call.startsWith("done ")) {
        processing--;
      }
      calls.add(call);
    }
  }
}
