package dev.grove.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.http.DaemonInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonInfoFileTest {
  @TempDir Path home;

  @Test
  void writesOwnerOnlyFileThatReadsBack() throws Exception {
    DaemonInfoFile file = new DaemonInfoFile(home);
    DaemonInfo info = new DaemonInfo(4242, 17, "t0ken", "b1");

    file.write(info);

    assertThat(file.read()).contains(info);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())))
        .isEqualTo("rw-------");
    try (var leftovers = Files.list(home)) {
      assertThat(leftovers).containsExactly(file.path());
    }
  }

  @Test
  void deletesOnlyWhenItStillHoldsThatPid() throws Exception {
    DaemonInfoFile file = new DaemonInfoFile(home);
    file.write(new DaemonInfo(1, 17, "t", "b"));

    assertThat(file.deleteIfOwnedBy(18)).isFalse();
    assertThat(file.path()).exists();
    assertThat(file.deleteIfOwnedBy(17)).isTrue();
    assertThat(file.path()).doesNotExist();
  }

  @Test
  void readsNothingFromAMissingOrGarbledFile() throws Exception {
    DaemonInfoFile file = new DaemonInfoFile(home);
    assertThat(file.read()).isEmpty();
    Files.writeString(file.path(), "{not json");
    assertThat(file.read()).isEmpty();
  }
}
