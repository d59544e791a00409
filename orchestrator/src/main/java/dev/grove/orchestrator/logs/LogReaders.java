package dev.grove.orchestrator.logs;

import java.time.Instant;

/** Opens following reads of container logs: the cluster in production, a fake in tests. */
@FunctionalInterface
public interface LogReaders {

  /**
   * Starts following a container's log. May block until the stream is open (call it on a worker);
   * then hands each line to {@code sink} from any thread, in order, and ends it once.
   *
   * @param since the time of the last line already read (the read starts there); null for a first
   *     read, which starts {@link LogHub#HISTORY} lines back
   * @throws RuntimeException when the log cannot be opened (the container has not started, the
   *     cluster is unreachable): the hub tries again later
   */
  Reader open(LogSource source, Instant since, Sink sink);

  /** Where a reader puts what it reads. */
  interface Sink {
    void line(Instant time, String text);

    /**
     * The stream ended: the container exited, the pod went, or {@code failure} broke it. Not called
     * after {@link Reader#close}.
     */
    void end(Throwable failure);
  }

  /** A following read; closing it stops it. */
  @FunctionalInterface
  interface Reader {
    void close();
  }
}
