package dev.grove.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildIdTest {
  /** The same value is pinned in the daemon's BuildIdTest: both sides must hash alike. */
  static final String GOLDEN = "3b7e52b3862c330a608cae7c";

  @TempDir Path dir;

  @Test
  void hashesNamesSizesAndModificationTimesLikeTheDaemon() throws Exception {
    Path jar = Files.writeString(dir.resolve("a.jar"), "abc");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
    Path classFile = Files.createDirectories(dir.resolve("classes/x")).resolve("X.class");
    Files.writeString(classFile, "12345");
    Files.setLastModifiedTime(classFile, FileTime.fromMillis(1_700_000_001_000L));
    String classpath =
        String.join(
            File.pathSeparator,
            jar.toString(),
            dir.resolve("classes").toString(),
            dir.resolve("missing.jar").toString());

    assertThat(BuildId.ofClasspath(classpath)).isEqualTo(GOLDEN);
  }
}
