package dev.grove.actions.deploy.exec;

import dev.grove.actions.process.PersistentProcesses;
import dev.grove.actions.spi.LogReaders;
import dev.grove.actions.spi.LogSource;
import java.time.Instant;
import java.util.List;

/**
 * The output of persistent exec Deploys' processes, read like a container's log: {@link
 * LogSource#namespace()} holds the process's key. A redeploy replaces the process; a read ends with
 * the old one and, opened again, continues with the new one.
 */
final class ExecLogReaders implements LogReaders {
  private final PersistentProcesses processes;

  ExecLogReaders(PersistentProcesses processes) {
    this.processes = processes;
  }

  @Override
  public List<Stamped> backlog(LogSource source, int lines) {
    List<PersistentProcesses.Line> kept =
        processes
            .get(source.namespace())
            .map(PersistentProcesses.Running::lines)
            .orElseThrow(() -> new IllegalStateException("no process for " + source.pod()));
    return kept.subList(Math.max(0, kept.size() - lines), kept.size()).stream()
        .map(line -> new Stamped(line.time(), line.text()))
        .toList();
  }

  @Override
  public Reader open(LogSource source, Instant since, Sink sink) {
    boolean[] closed = {false};
    PersistentProcesses.Subscription subscription =
        processes
            .follow(
                source.namespace(),
                since,
                HISTORY,
                new PersistentProcesses.Follower() {
                  @Override
                  public void line(PersistentProcesses.Line line) {
                    sink.line(line.time(), line.text());
                  }

                  @Override
                  public void end() {
                    synchronized (closed) {
                      if (closed[0]) {
                        return;
                      }
                    }
                    sink.end(null);
                  }
                })
            .orElseThrow(() -> new IllegalStateException("no process for " + source.pod()));
    return () -> {
      synchronized (closed) {
        closed[0] = true;
      }
      subscription.cancel();
    };
  }
}
