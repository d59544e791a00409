package dev.grove.orchestrator.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHashCacheTest {
  private static final String SHA256_OF_HELLO =
      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

  @TempDir Path root;
  private final FileHashCache cache = new FileHashCache();

  private FileEntry write(String path, String content, long modifiedMillis) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
    return FileScanner.scan(root, List.of()).find(path).orElseThrow();
  }

  @Test
  void hashIsTheSha256HexOfTheContent() throws IOException {
    FileEntry entry = write("a.txt", "hello", 1_000);

    assertThat(cache.hash(root, entry)).isEqualTo(SHA256_OF_HELLO);
  }

  /**
   * A file that was regular when scanned and is a FIFO by the time it is hashed (or any entry
   * naming one) is never opened: opening a FIFO for reading blocks until a writer comes.
   */
  @Test
  void aFifoIsNeverOpened() throws Exception {
    Path fifo = root.resolve("pipe");
    FileScannerTest.mkfifo(fifo);
    FileEntry entry = new FileEntry("pipe", 0, 1);
    String hash =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(5), () -> cache.hash(root, entry));
    assertThat(hash).hasSize(64).isNotEqualTo(SHA256_OF_HELLO);
  }

  @Test
  void unchangedFileIsNotReadAgain() throws IOException {
    FileEntry entry = write("a.txt", "hello", 1_000);
    String first = cache.hash(root, entry);

    String second = cache.hash(root, FileScanner.scan(root, List.of()).find("a.txt").orElseThrow());

    assertThat(second).isEqualTo(first);
    assertThat(cache.reads()).isEqualTo(1);
  }

  @Test
  void fileWithNewModificationTimeIsReadAgain() throws IOException {
    FileEntry before = write("a.txt", "hello", 1_000);
    String first = cache.hash(root, before);

    FileEntry after = write("a.txt", "jello", 2_000);

    assertThat(after.size()).isEqualTo(before.size());
    assertThat(cache.hash(root, after)).isNotEqualTo(first);
    assertThat(cache.reads()).isEqualTo(2);
  }

  @Test
  void fileWithNewSizeIsReadAgain() throws IOException {
    cache.hash(root, write("a.txt", "hello", 1_000));

    FileEntry after = write("a.txt", "hello, world", 1_000);

    cache.hash(root, after);
    assertThat(cache.reads()).isEqualTo(2);
  }

  @Test
  void sameContentGivesSameHash() throws IOException {
    FileEntry a = write("a.txt", "same", 1_000);
    FileEntry b = write("dir/b.txt", "same", 5_000);

    assertThat(cache.hash(root, a)).isEqualTo(cache.hash(root, b));
    assertThat(cache.reads()).isEqualTo(2);
  }

  @Test
  void largeFileIsHashedCompletely() throws IOException {
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    big[big.length - 1] = 1;
    Files.write(root.resolve("big.bin"), big);
    FileEntry entry = FileScanner.scan(root, List.of()).find("big.bin").orElseThrow();
    Files.write(root.resolve("big0.bin"), new byte[big.length]);
    FileEntry zeros = FileScanner.scan(root, List.of()).find("big0.bin").orElseThrow();

    assertThat(cache.hash(root, entry)).isNotEqualTo(cache.hash(root, zeros));
  }

  @Test
  void symlinkHashesItsTarget() throws IOException {
    Files.createDirectories(root.resolve("real"));
    Files.createSymbolicLink(root.resolve("link"), Path.of("real"));
    FileEntry link = FileScanner.scan(root, List.of()).find("link").orElseThrow();

    assertThat(cache.hash(root, link)).hasSize(64);
  }

  @Test
  void retainOnlyForgetsDeletedFiles() throws IOException {
    FileEntry a = write("a.txt", "a", 1_000);
    FileEntry b = write("b.txt", "b", 1_000);
    cache.hash(root, a);
    cache.hash(root, b);

    cache.retainOnly(root, List.of(a));

    assertThat(cache.size()).isEqualTo(1);
    cache.hash(root, a);
    assertThat(cache.reads()).isEqualTo(2);
  }

  @Test
  void concurrentCallersGetTheSameHash() throws Exception {
    FileEntry entry = write("a.txt", "hello", 1_000);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results =
          pool.invokeAll(java.util.Collections.nCopies(32, () -> cache.hash(root, entry)));
      for (Future<String> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(SHA256_OF_HELLO);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(cache.reads()).isBetween(1L, 4L);
  }
}
