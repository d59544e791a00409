package dev.grove.api.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserFilesTest {
  @TempDir Path dir;

  @Test
  void readsARegularFileAndOneBehindASymbolicLink() throws Exception {
    Path file = Files.writeString(dir.resolve("a.garden.yml"), "kind: Build\n");
    Path link = Files.createSymbolicLink(dir.resolve("b.garden.yml"), file);
    assertThat(UserFiles.readText(file)).isEqualTo("kind: Build\n");
    assertThat(UserFiles.readText(link)).isEqualTo("kind: Build\n");
  }

  @Test
  void neverOpensAFifoBehindALink() throws Exception {
    Path fifo = dir.resolve("pipe");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(mkfifo.exitValue()).isZero();
    Path link = Files.createSymbolicLink(dir.resolve("x.garden.yml"), fifo);
    UserFiles.UnreadableException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5), () -> catchUnreadable(() -> UserFiles.readText(link)));
    assertThat(e.reason()).isEqualTo(UserFiles.Reason.NOT_A_FILE);
    assertThat(e.getMessage()).contains("FIFO").contains("not a regular file");
  }

  @Test
  void neverReadsADeviceBehindALink() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("zero.garden.yml"), Path.of("/dev/zero"));
    UserFiles.UnreadableException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5), () -> catchUnreadable(() -> UserFiles.readText(link)));
    assertThat(e.reason()).isEqualTo(UserFiles.Reason.NOT_A_FILE);
    assertThat(e.getMessage()).contains("character device");
  }

  @Test
  void aFolderIsNotAFile() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("garden.yml"));
    UserFiles.UnreadableException e = catchUnreadable(() -> UserFiles.readText(folder));
    assertThat(e.reason()).isEqualTo(UserFiles.Reason.FOLDER);
    assertThat(e.getMessage()).contains("is a folder");
  }

  @Test
  void aFileOverTheCapIsRefusedNamingTheCap() throws Exception {
    Path big = dir.resolve("big.garden.yml");
    Files.write(big, new byte[1025]);
    UserFiles.UnreadableException e = catchUnreadable(() -> UserFiles.readText(big, 1024));
    assertThat(e.reason()).isEqualTo(UserFiles.Reason.TOO_LARGE);
    assertThat(e.getMessage()).contains("1 KiB");
    assertThat(UserFiles.MAX_BYTES).isEqualTo(10L << 20);
  }

  @Test
  void aFileGrowingPastItsStatIsStillCut() throws Exception {
    // /proc files say size 0 and hold more: the read itself is bounded, not only the stat.
    assertThatThrownBy(() -> UserFiles.readText(Path.of("/proc/self/maps"), 16))
        .isInstanceOf(UserFiles.UnreadableException.class)
        .hasMessageContaining("16 bytes");
  }

  @Test
  void permissionDeniedSaysSo() throws Exception {
    // Write-only for everyone, root included (procfs checks the mode bits even for root), so this
    // shows a real EACCES whoever runs the test.
    Path writeOnly = Path.of("/proc/sys/vm/compact_memory");
    assertThat(Files.exists(writeOnly)).as("%s exists on Linux", writeOnly).isTrue();
    UserFiles.UnreadableException e = catchUnreadable(() -> UserFiles.readText(writeOnly));
    assertThat(e.reason()).isEqualTo(UserFiles.Reason.PERMISSION_DENIED);
    assertThat(e.getMessage()).isEqualTo("permission denied");
  }

  @Test
  void anEncodingErrorNamesTheLineAndColumn() throws Exception {
    Path file = dir.resolve("latin1.garden.yml");
    Files.write(
        file,
        ("kind: Build\nname: caf".getBytes(StandardCharsets.UTF_8)),
        java.nio.file.StandardOpenOption.CREATE);
    Files.write(file, new byte[] {(byte) 0xe9, '\n'}, java.nio.file.StandardOpenOption.APPEND);
    UserFiles.UnreadableException e = catchUnreadable(() -> UserFiles.readText(file));
    assertThat(e.reason()).isEqualTo(UserFiles.Reason.ENCODING);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(10);
    assertThat(e.getMessage()).contains("not valid UTF-8").contains("line 2");
  }

  @Test
  void aMissingFileIsMissing() {
    UserFiles.UnreadableException e =
        catchUnreadable(() -> UserFiles.readText(dir.resolve("nope.yml")));
    assertThat(e.reason()).isEqualTo(UserFiles.Reason.MISSING);
  }

  private interface Read {
    Object run() throws IOException;
  }

  private static UserFiles.UnreadableException catchUnreadable(Read read) {
    try {
      read.run();
    } catch (UserFiles.UnreadableException e) {
      return e;
    } catch (IOException e) {
      throw new AssertionError("expected UnreadableException, got " + e, e);
    }
    throw new AssertionError("expected UnreadableException, the read succeeded");
  }
}
