package dev.grove.orchestrator.daemon;

import dev.grove.api.http.DaemonInfo;
import dev.grove.orchestrator.http.JsonCodec;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code $GROVE_HOME/daemon.json}: written atomically and readable by its owner only from the first
 * byte, since it holds the token.
 */
public final class DaemonInfoFile {
  private final Path file;

  public DaemonInfoFile(Path groveHome) {
    this.file = groveHome.resolve(GroveHome.INFO_FILE);
  }

  public Path path() {
    return file;
  }

  public void write(DaemonInfo info) throws IOException {
    Path dir = file.getParent();
    Path temp =
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
            ? Files.createTempFile(
                dir,
                "daemon-",
                ".json.tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(dir, "daemon-", ".json.tmp");
    try {
      Files.write(temp, JsonCodec.write(info));
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The file's contents; empty when there is no file or it cannot be parsed. */
  public Optional<DaemonInfo> read() {
    try {
      return Optional.of(JsonCodec.read(Files.readAllBytes(file), DaemonInfo.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Removes the file only while it still describes the daemon with {@code pid}. */
  public boolean deleteIfOwnedBy(long pid) {
    Optional<DaemonInfo> info = read();
    if (info.isEmpty() || info.get().pid() != pid) {
      return false;
    }
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      return false;
    }
  }
}
