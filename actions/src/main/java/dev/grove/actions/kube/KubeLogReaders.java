package dev.grove.actions.kube;

import dev.grove.actions.spi.LogReaders;
import dev.grove.actions.spi.LogSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.Loggable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Container logs read through the Kubernetes API ({@code pods/NAME/log?follow&timestamps}) of one
 * cluster.
 */
final class KubeLogReaders implements LogReaders {
  private final KubernetesClient client;

  KubeLogReaders(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public List<Stamped> backlog(LogSource source, int lines) {
    String text;
    try {
      text = stamped(source).tailingLines(lines).getLog();
    } catch (KubernetesClientException e) {
      // 400 (not started) and 404 (pod gone) pass on their own; the rest the user must know
      if (e.getCode() < 400 || e.getCode() == 400 || e.getCode() == 404) {
        throw e;
      }
      String reason =
          e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage() + " (HTTP " + e.getCode() + ")"
              : e.getMessage();
      throw refused(source, reason);
    }
    List<Stamped> backlog = new ArrayList<>();
    Instant now = Instant.now();
    text.lines()
        .forEach(
            line ->
                LogLines.parse(line, now, (time, body) -> backlog.add(new Stamped(time, body))));
    return backlog;
  }

  @Override
  public Reader open(LogSource source, Instant since, Sink sink) {
    var stamped = stamped(source);
    Loggable loggable =
        since == null ? stamped.tailingLines(HISTORY) : stamped.sinceTime(since.toString());
    // fabric8 hands an error answer's body to the stream like a log: its first line is a
    // Status object, not a stamped line. Such a read fails (the hub retries it) and moves nothing.
    LogReaders.Refused[] refused = {null};
    LogLines.Splitter splitter =
        new LogLines.Splitter(
            sink::line,
            first -> {
              LogLines.apiStatus(first).ifPresent(status -> refused[0] = refused(source, status));
              return refused[0] == null;
            });
    boolean[] closed = {false};
    LogWatch watch = loggable.watchLog(splitter);
    watch
        .onClose()
        .whenComplete(
            (failure, error) -> {
              synchronized (closed) {
                if (closed[0]) {
                  return;
                }
              }
              splitter.close();
              sink.end(refused[0] != null ? refused[0] : failure != null ? failure : error);
            });
    return () -> {
      synchronized (closed) {
        closed[0] = true;
      }
      watch.close();
    };
  }

  private static LogReaders.Refused refused(LogSource source, String reason) {
    String rbac =
        reason.contains("forbidden")
            ? "; the kubeconfig user needs RBAC `get` on `pods/log` in namespace "
                + source.namespace()
            : "";
    return new LogReaders.Refused(
        "cannot read the log of container "
            + source.container()
            + " of pod "
            + source.pod()
            + ": "
            + reason
            + rbac
            + " (trying again)");
  }

  private io.fabric8.kubernetes.client.dsl.BytesLimitTerminateTimeTailPrettyLoggable stamped(
      LogSource source) {
    return client
        .pods()
        .inNamespace(source.namespace())
        .withName(source.pod())
        .inContainer(source.container())
        .usingTimestamps();
  }
}
