package dev.grove.orchestrator.daemon;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** {@code $GROVE_HOME}, else {@code ~/.grove}: where daemon.json and daemon.log live. */
public final class GroveHome {
  public static final String ENV = "GROVE_HOME";
  public static final String INFO_FILE = "daemon.json";
  public static final String LOG_FILE = "daemon.log";

  private GroveHome() {}

  public static Path resolve(String groveHomeEnv, String userHome) {
    Path home =
        groveHomeEnv != null && !groveHomeEnv.isBlank()
            ? Path.of(groveHomeEnv)
            : Path.of(userHome, ".grove");
    return home.toAbsolutePath().normalize();
  }

  /** Creates the folder readable by its owner only (it holds the token). */
  public static void ensureExists(Path home) throws IOException {
    if (Files.isDirectory(home)) {
      return;
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(
          home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(home);
    }
  }
}
