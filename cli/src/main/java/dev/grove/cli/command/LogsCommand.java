package dev.grove.cli.command;

import dev.grove.api.error.ApiError;
import dev.grove.api.logs.LogMessage;
import dev.grove.api.logs.LogsRequest;
import dev.grove.api.project.ProjectRequest;
import dev.grove.cli.client.Json;
import dev.grove.cli.render.LogView;
import dev.grove.cli.render.OutputMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code grove logs [NAME...] [-f] [--since D] [--tail N]}: the pod logs of Deploys, streamed by
 * the daemon over a websocket, all pods interleaved in time order.
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description =
        "Print the pod logs of Deploys (all when none is named), interleaved in time order and"
            + " tagged with action, pod and container; -f follows them across redeploys.")
public final class LogsCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

  /** The longest --since the daemon takes (LogsRequest's bound): 100 years. */
  static final long MAX_SINCE_DAYS = LogsRequest.MAX_SINCE_SECONDS / 86_400L;

  private final CliApp app;

  @Mixin ProjectOptions options;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Deploy names (default: all).")
  List<String> names = new ArrayList<>();

  @Option(
      names = {"-f", "--follow"},
      description = "Keep streaming: new pods are picked up, ended ones drop out (Ctrl-C stops).")
  boolean follow;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      description = "Only lines younger than this: 30s, 5m, 2h, 1h30m, 1d.")
  String since;

  @Option(
      names = "--tail",
      paramLabel = "N",
      description = "The last N lines of each container (containers that start later: all).")
  Integer tail;

  public LogsCommand(CliApp app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    OutputMode mode = options.output();
    try {
      if (mode == OutputMode.JSON) {
        throw new UsageException(
            "--output json is not available for logs: a stream has no end document",
            "Use --output jsonl (one JSON object per line) or text.");
      }
      if (tail != null && tail < 0) {
        throw new UsageException("--tail " + tail + " is negative", "Pass 0 or more lines.");
      }
      Long sinceSeconds = since == null ? null : seconds(since);
      ProjectRequest project = options.request(app);
      LogsRequest request = new LogsRequest(project, names, follow, sinceSeconds, tail);
      LogView view = app.renderer().logView(mode);
      ApiError[] failed = {null};
      try {
        app.daemon()
            .call(
                client -> {
                  client.logs(
                      request,
                      message -> {
                        failed[0] = show(view, message, failed[0]);
                        if (view.outputClosed()) {
                          throw new OutputClosed();
                        }
                      });
                  return null;
                });
      } catch (OutputClosed e) {
        return ExitCodes.OK; // the reader of stdout had enough; the daemon sees the close
      }
      view.flush();
      if (failed[0] != null) {
        app.renderer().apiError(failed[0], OutputMode.TEXT);
        return ExitCodes.ofCode(failed[0].code());
      }
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      return app.fail(e, mode == OutputMode.JSON ? OutputMode.TEXT : mode);
    }
  }

  /** Stdout is gone: stop streaming. */
  private static final class OutputClosed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutputClosed() {
      super("stdout closed", null, false, false);
    }
  }

  /** Shows one message of the daemon; answers the error it carries, if any. */
  static ApiError show(LogView view, String message, ApiError failed) {
    if (!(Json.parse(message) instanceof Map<?, ?> fields)) {
      return failed;
    }
    Object type = fields.get("type");
    if (LogMessage.LINE.equals(type)) {
      view.line(
          text(fields.get("time")),
          text(fields.get("action")),
          text(fields.get("pod")),
          text(fields.get("container")),
          text(fields.get("line")));
    } else if (LogMessage.GAP.equals(type)) {
      view.gap(fields.get("missed") instanceof Number n ? n.longValue() : 0);
    } else if (LogMessage.NOTE.equals(type)) {
      view.note(text(fields.get("message")));
    } else if (LogMessage.ERROR.equals(type)) {
      return Json.read(message, LogMessage.Error.class).error();
    }
    return failed;
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 1h30m}, {@code 1d} in seconds. */
  static long seconds(String duration) {
    String text = duration.trim();
    Matcher m = DURATION.matcher(text);
    long total = 0;
    int at = 0;
    try {
      while (m.find() && m.start() == at) {
        long n = Long.parseLong(m.group(1));
        long unit =
            switch (m.group(2)) {
              case "s" -> 1L;
              case "m" -> 60L;
              case "h" -> 3_600L;
              default -> 86_400L;
            };
        total = Math.addExact(total, Math.multiplyExact(n, unit));
        at = m.end();
      }
    } catch (NumberFormatException | ArithmeticException e) {
      throw new UsageException(
          "--since '" + duration + "' is too long",
          "Pass a shorter duration (at most " + MAX_SINCE_DAYS + "d), or leave --since out.");
    }
    if (total > MAX_SINCE_DAYS * 86_400L) {
      throw new UsageException(
          "--since '" + duration + "' is too long",
          "Pass a shorter duration (at most " + MAX_SINCE_DAYS + "d), or leave --since out.");
    }
    if (at == 0 || at != text.length() || total <= 0) {
      throw new UsageException(
          "--since '" + duration + "' is not a duration",
          "Write it as a number and a unit: 30s, 5m, 2h, 1h30m or 1d.");
    }
    return total;
  }
}
