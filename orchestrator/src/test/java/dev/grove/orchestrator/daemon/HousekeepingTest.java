package dev.grove.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HousekeepingTest {
  private final FakeProjectService projects = new FakeProjectService();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong used = new AtomicLong(100L << 20);
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
  void anIdleDaemonWhoseHeapGrewCollectsOnce() {
    assertThat(housekeeping.tick()).isFalse(); // nothing grew

    used.set(300L << 20); // a big load came and went, leaving garbage
    assertThat(housekeeping.tick()).isFalse(); // it allocated during the last period: not idle
    assertThat(housekeeping.tick()).isTrue(); // quiet for a period: collect
    assertThat(housekeeping.tick()).isFalse(); // once is enough
    assertThat(collections).hasValue(1);
  }

  @Test
  void nothingIsCollectedWhileARunGoesOn() {
    used.set(300L << 20);
    housekeeping.tick();
    running.set(1);
    assertThat(housekeeping.tick()).isFalse();

    running.set(0);
    assertThat(housekeeping.tick()).isTrue();
  }

  @Test
  void aBusyDaemonIsNotPaused() {
    for (int i = 1; i <= 5; i++) {
      used.set((300L + 50 * i) << 20); // loads keep allocating
      assertThat(housekeeping.tick()).isFalse();
    }
    assertThat(collections).hasValue(0);
  }
}
