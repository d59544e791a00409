package dev.grove.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HousekeepingTest {
  private final FakeProjectService projects = new FakeProjectService();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong used = new AtomicLong(300L << 20);
  private final AtomicInteger collections = new AtomicInteger();
  private final Housekeeping housekeeping =
      new Housekeeping(
          projects,
          running::get,
          used::get,
          () -> {
            collections.incrementAndGet();
            used.set(90L << 20);
          });

  @Test
  void droppedProjectsAreGivenBackOnceTheDaemonIsIdle() {
    assertThat(housekeeping.tick()).isFalse(); // nothing dropped

    projects.dropOnNextEviction(2);
    assertThat(housekeeping.tick()).isTrue();
    assertThat(housekeeping.tick()).isFalse(); // once is enough
    assertThat(collections).hasValue(1);
  }

  @Test
  void garbageAloneIsNotWorthAPause() {
    for (int i = 0; i < 5; i++) {
      assertThat(housekeeping.tick()).isFalse();
    }
    assertThat(collections).hasValue(0);
  }

  @Test
  void nothingIsCollectedWhileARunGoesOn() {
    housekeeping.tick();
    running.set(1);
    projects.dropOnNextEviction(1);
    assertThat(housekeeping.tick()).isFalse();

    running.set(0);
    assertThat(housekeeping.tick()).isTrue();
  }

  @Test
  void aBusyDaemonIsNotPaused() {
    projects.dropOnNextEviction(1);
    for (int i = 1; i <= 5; i++) {
      used.set((300L + 50 * i) << 20); // loads keep allocating
      assertThat(housekeeping.tick()).isFalse();
    }
    assertThat(collections).hasValue(0);
  }
}
