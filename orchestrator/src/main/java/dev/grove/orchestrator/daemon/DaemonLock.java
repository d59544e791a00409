package dev.grove.orchestrator.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code $GROVE_HOME/daemon.lock}: held exclusively for the daemon's whole life, so that one
 * GROVE_HOME never has two daemons, whatever daemon.json says. It holds the holder's pid, for the
 * message a second daemon gives. The OS releases it when the process ends, a {@code kill -9} too.
 */
final class DaemonLock implements AutoCloseable {
  static final String FILE = "daemon.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DaemonLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock without waiting.
   *
   * @throws DaemonAlreadyRunningException when another daemon holds it
   * @throws IOException when the file cannot be created or written (a full disk)
   */
  static DaemonLock acquire(Path home, long pid) throws IOException {
    Path file = home.resolve(FILE);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by a daemon in this very JVM (tests run several)
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new DaemonAlreadyRunningException(
          "A Grove daemon ("
              + holder(file)
              + ") already serves "
              + home
              + ": it holds "
              + file
              + ". Stop it with 'grove daemon stop' before starting another.");
    }
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new DaemonLock(channel, lock);
  }

  private static String holder(Path file) {
    try {
      String pid = Files.readString(file).trim();
      return pid.isEmpty() ? "pid unknown" : "pid " + pid;
    } catch (IOException e) {
      return "pid unknown";
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the process is ending, which releases it anyway
    }
  }
}
