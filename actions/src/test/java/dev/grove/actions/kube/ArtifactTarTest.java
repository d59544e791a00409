package dev.grove.actions.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifact copy of pod Tests, with the script run by this machine's {@code sh} and {@code tar}
 * as a container's would run it (the paths are this machine's, the steps the same).
 */
class ArtifactTarTest {
  @TempDir Path dir;

  /** Runs the script with {@code /bin/sh}, unpacking its stdout into {@code into}. */
  private int copy(List<PodRunner.Copy> copies, Path into) throws Exception {
    Process sh = new ProcessBuilder("sh", "-c", ArtifactTar.script(copies)).start();
    int files;
    try (InputStream out = sh.getInputStream()) {
      files = ArtifactTar.extract(out, into);
    }
    assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(sh.exitValue()).isZero();
    return files;
  }

  @Test
  void copiesGlobsAndFoldersUnderTheirTargetsAsGardenDoes() throws Exception {
    Path container = Files.createDirectories(dir.resolve("in container/reports"));
    Files.writeString(container.resolve("unit.xml"), "<unit/>");
    Files.writeString(container.resolve("it's.xml"), "<it/>");
    Files.writeString(container.resolve("notes.txt"), "notes");
    Path coverage = Files.createDirectories(dir.resolve("in container/coverage/html"));
    Files.writeString(coverage.resolve("index.html"), "<html/>");
    Path into = dir.resolve("artifacts");

    int files =
        copy(
            List.of(
                new PodRunner.Copy(container + "/*.xml", "junit"),
                new PodRunner.Copy(dir.resolve("in container/coverage").toString(), "."),
                new PodRunner.Copy("/no/such/file", "none")),
            into);

    assertThat(files).isEqualTo(3);
    assertThat(into.resolve("junit/unit.xml")).hasContent("<unit/>");
    assertThat(into.resolve("junit/it's.xml")).hasContent("<it/>");
    assertThat(into.resolve("junit/notes.txt")).doesNotExist();
    assertThat(into.resolve("coverage/html/index.html")).hasContent("<html/>");
    assertThat(into.resolve(ArtifactTar.PLACEHOLDER)).doesNotExist();
  }

  @Test
  void aSourceWithShellCharactersIsNotRunAsAShell() throws Exception {
    Path into = dir.resolve("artifacts");
    Path marker = dir.resolve("pwned");
    copy(List.of(new PodRunner.Copy("/x; touch " + marker + " #", "t")), into);
    assertThat(marker).doesNotExist();
  }

  @Test
  void anEntryLeavingTheFolderIsRefused() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      byte[] body = "evil".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry("./../../escaped.txt");
      entry.setSize(body.length);
      tar.putArchiveEntry(entry);
      tar.write(body);
      tar.closeArchiveEntry();
    }
    Path into = dir.resolve("a/b/artifacts");
    assertThatThrownBy(
            () -> ArtifactTar.extract(new ByteArrayInputStream(bytes.toByteArray()), into))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("outside its folder");
    assertThat(dir.resolve("a/escaped.txt")).doesNotExist();
  }

  @Test
  void linksInTheTarAreSkipped() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry link = new TarArchiveEntry("./passwd", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    Path into = dir.resolve("artifacts");
    assertThat(ArtifactTar.extract(new ByteArrayInputStream(bytes.toByteArray()), into)).isZero();
    assertThat(into.resolve("passwd")).doesNotExist();
  }
}
