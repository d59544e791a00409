package dev.grove.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildIdTest {
  /** Pinned: launchers of other versions compare against this algorithm. */
  static final String GOLDEN = "3b7e52b3862c330a608cae7c";

  @TempDir Path dir;

  @Test
  void hashesNamesSizesAndModificationTimesLikeTheCli() throws Exception {
    assertThat(BuildId.ofClasspath(fixtureClasspath())).isEqualTo(GOLDEN);
  }

  @Test
  void changesWhenAJarChanges() throws Exception {
    String classpath = fixtureClasspath();
    Files.setLastModifiedTime(dir.resolve("a.jar"), FileTime.fromMillis(1_700_000_000_001L));
    assertThat(BuildId.ofClasspath(classpath)).isNotEqualTo(GOLDEN);
  }

  @Test
  void wildcardEntriesCountEachJarOfTheFolder() throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Files.writeString(lib.resolve("x.jar"), "x");
    String before = BuildId.ofClasspath(lib + File.separator + "*");
    Files.writeString(lib.resolve("x.jar"), "xx");
    assertThat(BuildId.ofClasspath(lib + File.separator + "*")).isNotEqualTo(before);
  }

  private String fixtureClasspath() throws Exception {
    Path jar = Files.writeString(dir.resolve("a.jar"), "abc");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
    Path classFile = Files.createDirectories(dir.resolve("classes/x")).resolve("X.class");
    Files.writeString(classFile, "12345");
    Files.setLastModifiedTime(classFile, FileTime.fromMillis(1_700_000_001_000L));
    return String.join(
        File.pathSeparator,
        jar.toString(),
        dir.resolve("classes").toString(),
        dir.resolve("missing.jar").toString());
  }
}
