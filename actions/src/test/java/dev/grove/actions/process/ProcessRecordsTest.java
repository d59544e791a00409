package dev.grove.actions.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessRecordsTest {
  private static final Instant STARTED = Instant.parse("2026-12-03T13:05:00.120Z");

  @Test
  void aStartTimeAsecondOffIsTheSameProcess() {
    // the next daemon's JVM may see the boot time a second apart (a VM's clock moved)
    assertThat(ProcessRecords.sameStart(Optional.of(STARTED.plusMillis(1_000)), STARTED.toString()))
        .isTrue();
    assertThat(ProcessRecords.sameStart(Optional.of(STARTED), STARTED.toString())).isTrue();
  }

  @Test
  void anotherStartTimeOrNoneIsAnotherProcess() {
    assertThat(ProcessRecords.sameStart(Optional.of(STARTED.plusSeconds(30)), STARTED.toString()))
        .isFalse();
    assertThat(ProcessRecords.sameStart(Optional.empty(), STARTED.toString())).isFalse();
    assertThat(ProcessRecords.sameStart(Optional.of(STARTED), "unknown")).isFalse();
  }
}
