package dev.grove.actions.kube;

import dev.grove.actions.process.LineReader;
import dev.grove.actions.process.TailBuffer;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.Cancellation;
import dev.grove.actions.spi.LogSink;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a Test's or Run's pod to its end, as Garden's {@code runAndCopy}: creates it ({@code
 * restartPolicy: Never}), streams its output onto the action's log, fails fast with a rollout's
 * diagnosis when it cannot start, takes the exit code from its container, copies {@code artifacts}
 * out with {@code tar} over exec, and deletes it (unless asked to keep it).
 *
 * <p>Without artifacts the container runs the command itself (any image). With artifacts it must
 * stay up after the command for the copy, so, as in Garden, it starts a shell that waits and the
 * command runs through exec; the image then needs {@code sh} and {@code tar}.
 */
public final class PodRunner {
  /** How long a pod is looked at more often, from its creation, and how often. */
  private static final Duration QUICK_WINDOW = Duration.ofSeconds(5);

  private static final Duration QUICK_POLL = Duration.ofMillis(150);

  /** How long the log of an ended container may take to drain. */
  private static final Duration LOG_DRAIN = Duration.ofSeconds(10);

  /** The most of a run's output kept as its result (its end). */
  public static final int KEPT_CHARS = 64 * 1024;

  /** What the container runs while commands are exec'd into it (artifacts to copy after). */
  static final List<String> WAIT_COMMAND =
      List.of("sh", "-c", "trap 'exit 0' TERM INT; sleep 86400 & wait");

  private final KubeCluster cluster;
  private final Duration poll;

  public PodRunner(KubeCluster cluster, Duration poll) {
    this.cluster = cluster;
    this.poll = poll;
  }

  /**
   * One file tree to copy out of the container.
   *
   * @param source an absolute path or glob in the container
   * @param target a folder below the artifacts root
   */
  public record Copy(String source, String target) {}

  /**
   * How a run ended.
   *
   * @param exitCode the command's exit code
   * @param log the end of its output ({@value #KEPT_CHARS} characters at most)
   * @param artifacts the files copied out
   */
  public record Outcome(
      int exitCode, String log, Instant startedAt, Instant finishedAt, int artifacts) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /**
   * Runs {@code pod} (its first container is the one whose exit counts) in its namespace.
   *
   * @param copies what to copy out after the command; empty copies nothing
   * @param artifactsRoot where {@code copies} land
   * @param keep leaves the pod in the cluster afterwards, its container up (the command runs
   *     through exec then) so that {@code kubectl exec} can look inside
   */
  public Outcome run(
      ActionContext ctx, Pod pod, List<Copy> copies, Path artifactsRoot, boolean keep)
      throws ActionException {
    KubernetesClient client = cluster.client();
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Container main = pod.getSpec().getContainers().get(0);
    List<String> command = new ArrayList<>();
    boolean hasCommand = main.getCommand() != null && !main.getCommand().isEmpty();
    // the container stays up for the copy, or for a kept pod to be looked into (kubectl exec)
    boolean stays = !copies.isEmpty() || (keep && hasCommand);
    if (stays) {
      if (!hasCommand) {
        throw new ActionException(
            ActionCodes.INVALID_SPEC,
            ctx.ref()
                + " copies artifacts but sets no spec.command: Grove must run the command itself"
                + " (through exec) to copy files out after it, and cannot know the image's"
                + " entrypoint.",
            "Set spec.command (such as [\"npm\", \"test\"]), as Garden requires too.");
      }
      command.addAll(main.getCommand());
      if (main.getArgs() != null) {
        command.addAll(main.getArgs());
      }
      main.setCommand(new ArrayList<>(WAIT_COMMAND));
      main.setArgs(null);
    }
    TailBuffer kept = new TailBuffer(KEPT_CHARS);
    LogSink log =
        (stream, line) -> {
          kept.add(line);
          ctx.log().line(stream, line);
        };
    Instant started = Instant.now();
    try {
      client.pods().inNamespace(namespace).resource(pod).create();
    } catch (KubernetesClientException e) {
      throw KubeClients.failure(cluster.target(), "create pod " + name, e);
    }
    ctx.log().line(LogSink.STDOUT, "grove: started pod " + name + " in namespace " + namespace);
    boolean deleteAtEnd = !keep;
    try {
      int exitCode;
      int copied = 0;
      if (!stays) {
        exitCode = runToEnd(ctx, namespace, name, main.getName(), log);
      } else {
        awaitRunning(ctx, namespace, name, main.getName());
        exitCode = exec(ctx, namespace, name, main.getName(), command, log);
        if (!copies.isEmpty()) {
          copied = copyOut(ctx, namespace, name, main.getName(), copies, artifactsRoot);
        }
      }
      return new Outcome(exitCode, kept.toString(), started, Instant.now(), copied);
    } finally {
      if (deleteAtEnd) {
        delete(namespace, name);
      } else {
        String kubectl = "kubectl -n " + namespace + " ";
        ctx.log()
            .line(
                LogSink.STDOUT,
                "grove: kept pod "
                    + name
                    + " ("
                    + (stays
                        ? kubectl + "exec -it " + name + " -- sh"
                        : kubectl + "describe pod " + name + "; it ran the image's own command")
                    + "; "
                    + kubectl
                    + "delete pod "
                    + name
                    + ")");
      }
    }
  }

  /** Deletes the pod at once (no grace period: its work is over). */
  private void delete(String namespace, String name) {
    try {
      cluster.client().pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      // the run's result stands; a pod left behind is found by its labels
    }
  }

  /** The container runs the command: follows its log to its end, answers its exit code. */
  private int runToEnd(
      ActionContext ctx, String namespace, String name, String container, LogSink log)
      throws ActionException {
    LogWatch follow = null;
    Thread reader = null;
    try {
      Deadline deadline = new Deadline(ctx);
      while (true) {
        Pod live = get(namespace, name);
        ContainerStatus status = status(live, container);
        boolean started =
            status != null
                && status.getState() != null
                && (status.getState().getRunning() != null
                    || status.getState().getTerminated() != null);
        if (started && follow == null) {
          follow =
              cluster
                  .client()
                  .pods()
                  .inNamespace(namespace)
                  .withName(name)
                  .inContainer(container)
                  .watchLog();
          InputStream output = follow.getOutput();
          reader = pump(output, line -> log.line(LogSink.STDOUT, line), "pod-log-" + name);
        }
        if (started && status.getState().getTerminated() != null) {
          if (reader != null) {
            reader.join(LOG_DRAIN.toMillis());
          }
          Integer code = status.getState().getTerminated().getExitCode();
          return code == null ? -1 : code;
        }
        if (!started) {
          cluster.watcher(poll).podProblems(ctx.ref().toString(), live);
        }
        deadline.pause(ctx, "pod " + name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cancelled(ctx);
    } catch (KubernetesClientException e) {
      throw KubeClients.failure(cluster.target(), "follow pod " + name, e);
    } finally {
      if (follow != null) {
        follow.close();
      }
    }
  }

  /** Waits until the container runs (it waits for the commands exec'd into it). */
  private void awaitRunning(ActionContext ctx, String namespace, String name, String container)
      throws ActionException {
    Deadline deadline = new Deadline(ctx);
    try {
      while (true) {
        Pod live = get(namespace, name);
        ContainerStatus status = status(live, container);
        if (status != null && status.getState() != null) {
          if (status.getState().getRunning() != null) {
            return;
          }
          if (status.getState().getTerminated() != null) {
            var ended = status.getState().getTerminated();
            throw new ActionException(
                ActionCodes.COMMAND_FAILED,
                ctx.ref()
                    + ": the container of pod "
                    + name
                    + " ended before its command ran (exit code "
                    + ended.getExitCode()
                    + (ended.getMessage() == null ? "" : ", " + ended.getMessage().strip())
                    + "): to copy artifacts (or keep the pod) Grove starts it with `sh`, which the"
                    + " image may lack.",
                "Copying artifacts needs `sh` and `tar` in the image (as in Garden): use an image"
                    + " that has them, or drop spec.artifacts (and --keep-pod).");
          }
        }
        cluster.watcher(poll).podProblems(ctx.ref().toString(), live);
        deadline.pause(ctx, "pod " + name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cancelled(ctx);
    }
  }

  /**
   * Runs {@code command} in the container, its output onto {@code log}; answers its exit code. The
   * action's timeout and a cancel end it.
   */
  public int exec(
      ActionContext ctx,
      String namespace,
      String name,
      String container,
      List<String> command,
      LogSink log)
      throws ActionException {
    ExecWatch watch = startExec(namespace, name, container, command.toArray(String[]::new));
    Runnable stop = watch::close;
    ctx.cancellation().onCancel(stop);
    try {
      Thread out = pump(watch.getOutput(), line -> log.line(LogSink.STDOUT, line), "exec-out");
      Thread err = pump(watch.getError(), line -> log.line(LogSink.STDERR, line), "exec-err");
      Integer code;
      try {
        code = watch.exitCode().get(remaining(ctx).toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw timedOut(ctx, "`" + String.join(" ", command) + "` in pod " + name);
      } catch (ExecutionException e) {
        if (!ctx.cancellation().isCancelled()) {
          throw new ActionException(
              ActionCodes.KUBE_API_ERROR,
              ctx.ref() + ": exec into pod " + name + " failed: " + e.getCause().getMessage(),
              "Check that the cluster allows `pods/exec` (RBAC `create` on pods/exec) and that"
                  + " the container has the command.");
        }
        code = null; // closed by the cancel: reported as such below
      } catch (java.util.concurrent.CancellationException e) {
        code = null;
      }
      out.join(LOG_DRAIN.toMillis());
      err.join(LOG_DRAIN.toMillis());
      if (ctx.cancellation().isCancelled()) {
        throw ctx.cancellation().reason() == Cancellation.Reason.TIMEOUT
            ? timedOut(ctx, "`" + String.join(" ", command) + "` in pod " + name)
            : cancelled(ctx);
      }
      if (code == null) {
        throw new ActionException(
            ActionCodes.KUBE_API_ERROR,
            ctx.ref()
                + ": the exec of `"
                + String.join(" ", command)
                + "` in pod "
                + name
                + " ended without an exit code (the connection closed).",
            "Run it again; check the cluster's API server and the node.");
      }
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cancelled(ctx);
    } finally {
      ctx.cancellation().removeListener(stop);
      watch.close();
    }
  }

  /** Copies what {@code copies} names out of the container (tar over exec); answers how many. */
  private int copyOut(
      ActionContext ctx,
      String namespace,
      String name,
      String container,
      List<Copy> copies,
      Path artifactsRoot)
      throws ActionException {
    ExecWatch watch = startExec(namespace, name, container, "sh", "-c", ArtifactTar.script(copies));
    Runnable stop = watch::close;
    ctx.cancellation().onCancel(stop);
    TailBuffer errors = new TailBuffer(4096);
    try {
      Thread err = pump(watch.getError(), errors::add, "tar-err");
      int files;
      try {
        files = ArtifactTar.extract(watch.getOutput(), artifactsRoot);
      } catch (IOException e) {
        throw new ActionException(
            ActionCodes.COMMAND_FAILED,
            ctx.ref()
                + ": could not copy its artifacts out of pod "
                + name
                + ": "
                + e.getMessage()
                + (errors.toString().isBlank() ? "" : " (" + errors.toString().strip() + ")"),
            "Copying artifacts needs `sh` and `tar` in the image (as in Garden), and"
                + " .grove/artifacts in the project must be writable.");
      }
      err.join(LOG_DRAIN.toMillis());
      if (files == 0 && !errors.toString().isBlank()) {
        ctx.log().line(LogSink.STDERR, "grove: copying artifacts: " + errors.toString().strip());
      }
      ctx.log()
          .line(
              LogSink.STDOUT,
              "grove: copied "
                  + files
                  + (files == 1 ? " artifact file" : " artifact files")
                  + " out of pod "
                  + name);
      return files;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cancelled(ctx);
    } finally {
      ctx.cancellation().removeListener(stop);
      watch.close();
    }
  }

  /** Starts {@code command} in the container, its stdout and stderr to read. */
  private ExecWatch startExec(String namespace, String name, String container, String... command)
      throws ActionException {
    try {
      return cluster
          .client()
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .inContainer(container)
          .redirectingOutput()
          .redirectingError()
          .exec(command);
    } catch (KubernetesClientException e) {
      throw KubeClients.failure(cluster.target(), "exec into pod " + name, e);
    }
  }

  private Pod get(String namespace, String name) throws ActionException {
    Pod live;
    try {
      live = cluster.client().pods().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw KubeClients.failure(cluster.target(), "read pod " + name, e);
    }
    if (live == null) {
      throw new ActionException(
          ActionCodes.ROLLOUT_FAILED,
          "Pod " + name + " was deleted while it ran (by someone else, or the namespace went).",
          "Run it again.");
    }
    return live;
  }

  private static ContainerStatus status(Pod pod, String container) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> container.equals(s.getName()))
        .findFirst()
        .orElse(null);
  }

  /** Reads {@code in} line by line on a thread of its own, until it ends. */
  private static Thread pump(
      InputStream in, java.util.function.Consumer<String> lines, String name) {
    Thread thread =
        new Thread(
            () -> {
              try {
                LineReader.read(in, lines);
              } catch (IOException e) {
                // the stream closed under us (the pod went, the exec was stopped): nothing more
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** The time the action has left (its timeout from now, at least one second). */
  private static Duration remaining(ActionContext ctx) {
    Duration timeout = ctx.timeout() == null ? Duration.ofMinutes(10) : ctx.timeout();
    return timeout.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : timeout;
  }

  private static ActionException cancelled(ActionContext ctx) {
    if (ctx.cancellation().reason() == Cancellation.Reason.TIMEOUT) {
      return timedOut(ctx, "its pod");
    }
    return new ActionException(
        ActionCodes.CANCELLED, ctx.ref() + " was cancelled while its pod ran.", "Run it again.");
  }

  private static ActionException timedOut(ActionContext ctx, String what) {
    return new ActionException(
        ActionCodes.TIMEOUT,
        ctx.ref()
            + ": "
            + what
            + " did not end within its timeout of "
            + remaining(ctx).toSeconds()
            + " s.",
        "Raise the action's `timeout`, or make the command faster; `grove logs` and `kubectl"
            + " describe pod` show where it stands.");
  }

  /** The action's deadline, and the pause between two looks at the pod. */
  private final class Deadline {
    private final long start = System.nanoTime();
    private final long end;

    Deadline(ActionContext ctx) {
      end = start + remaining(ctx).toNanos();
    }

    void pause(ActionContext ctx, String what) throws ActionException, InterruptedException {
      if (System.nanoTime() > end) {
        throw timedOut(ctx, what);
      }
      long elapsed = System.nanoTime() - start;
      long millis = elapsed < QUICK_WINDOW.toNanos() ? QUICK_POLL.toMillis() : poll.toMillis();
      if (ctx.cancellation().sleep(millis)) {
        throw cancelled(ctx);
      }
    }
  }

  /** The labels of a run's pod: the action's, so that {@code grove logs} and cleanup find it. */
  public static Map<String, String> labels(String name, String ref) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    GroveLabels.of(name, ref).forEach((k, v) -> labels.put(k, String.valueOf(v)));
    return labels;
  }
}
