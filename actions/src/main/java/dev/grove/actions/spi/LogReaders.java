package dev.grove.actions.spi;

import java.time.Instant;
import java.util.List;

/**
 * Opens following reads of container logs: the cluster in production, a fake in tests. A Deploy's
 * {@link DeployLogs.Pods} give the reader of their cluster.
 */
public interface LogReaders {
  /** The most lines a source keeps, and so the most a first read asks for. */
  int HISTORY = 5_000;

  /**
   * The last {@code lines} lines a container logged so far, oldest first: what a source holds
   * before its first following read, so that every subscriber (the first one too) gets them as
   * history, cut to its {@code --tail}. Blocks (call it on a worker).
   *
   * @throws RuntimeException when the log cannot be read (as for {@link #open})
   */
  List<Stamped> backlog(LogSource source, int lines);

  /**
   * Starts following a container's log. May block until the stream is open (call it on a worker);
   * then hands each line to {@code sink} from any thread, in order, and ends it once.
   *
   * @param since the time of the last line already read (the read starts there, lines at that time
   *     included); null when nothing was read yet, and then only lines logged after {@link
   *     #backlog} matter (a reader may repeat some of them: the hub skips what it has)
   * @throws RuntimeException when the log cannot be opened (the container has not started, the
   *     cluster is unreachable): the hub tries again later
   */
  Reader open(LogSource source, Instant since, Sink sink);

  /** A line and the time it was stamped with. */
  record Stamped(Instant time, String text) {}

  /**
   * The API refused the read (RBAC, a gone pod, a server error): the user is told, with {@link
   * #getMessage} naming the container and the API's reason.
   */
  final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message);
    }
  }

  /** Where a reader puts what it reads. */
  interface Sink {
    void line(Instant time, String text);

    /**
     * The stream ended: the container exited, the pod went, or {@code failure} broke it (a {@link
     * Refused} when the API answered with an error). Not called after {@link Reader#close}.
     */
    void end(Throwable failure);
  }

  /** A following read; closing it stops it. */
  @FunctionalInterface
  interface Reader {
    void close();
  }
}
