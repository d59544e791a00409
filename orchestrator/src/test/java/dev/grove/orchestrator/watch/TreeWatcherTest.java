package dev.grove.orchestrator.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file watcher on a real tree (inotify here). */
class TreeWatcherTest {
  @TempDir Path root;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  private void write(String path, String content) throws Exception {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private void awaitReported(String path) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!reported.contains(path)) {
      assertThat(System.nanoTime()).as(path + " reported; got " + reported).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void reportsSavesNewFoldersAndNeverWhatIsIgnoredOrSkipped() throws Exception {
    write(".gardenignore", "node_modules/\n");
    write("src/a.txt", "a");
    write("node_modules/dep/index.js", "x");
    write(".git/HEAD", "ref");
    try (TreeWatcher watcher = new TreeWatcher(root, List.of(".gardenignore"), reported::addAll)) {
      assertThat(watcher.folders()).isEqualTo(2); // the root and src

      write("node_modules/dep/more.js", "ignored folder");
      write(".git/index", "skipped folder");
      write("src/a.txt", "a saved");
      awaitReported("src/a.txt");
      write("lib/deep/b.txt", "a new folder and its file");
      awaitReported("lib/deep/b.txt");
      Thread.sleep(200);
      assertThat(reported).noneMatch(p -> p.startsWith("node_modules") || p.startsWith(".git"));

      // no longer ignored: its folders are watched from then on
      write(".gardenignore", "");
      awaitReported(".gardenignore");
      write("node_modules/dep/later.js", "watched now");
      awaitReported("node_modules/dep/later.js");
    }
  }
}
