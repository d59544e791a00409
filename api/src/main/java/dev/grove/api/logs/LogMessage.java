package dev.grove.api.logs;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.grove.api.error.ApiError;

/**
 * What the daemon sends on the {@link dev.grove.api.http.Routes#LOGS} websocket: one JSON text
 * message each, told apart by {@code type}. A normal close (1000) ends the stream; after an {@code
 * error} message the daemon closes it too.
 */
public final class LogMessage {
  /** {@link Line}. */
  public static final String LINE = "line";

  /** {@link Gap}. */
  public static final String GAP = "gap";

  /** {@link Note}. */
  public static final String NOTE = "note";

  /** {@link Error}. */
  public static final String ERROR = "error";

  private LogMessage() {}

  /**
   * One line of a container's output.
   *
   * @param time when the container wrote it, RFC 3339 in UTC with the kubelet's nanoseconds
   * @param action the Deploy's ref, such as {@code deploy.web}
   * @param pod the pod's name (an exec Deploy's: the action's name)
   * @param container the container's name ({@code exec} for an exec Deploy's process)
   * @param line the text, without its line break
   */
  public record Line(
      String type, String time, String action, String pod, String container, String line) {
    public Line {
      type = LINE;
    }

    public Line(String time, String action, String pod, String container, String line) {
      this(LINE, time, action, pod, container, line);
    }
  }

  /**
   * This client read too slowly: {@code missed} lines were not sent to it (others got them).
   *
   * @param missed how many lines were dropped just before the next message
   */
  public record Gap(String type, long missed) {
    public Gap {
      type = GAP;
    }

    public Gap(long missed) {
      this(GAP, missed);
    }
  }

  /**
   * Something the user should know that is not a log line: a pod was picked up or ended, a Deploy
   * has no pods yet, an exec Deploy has no log stream.
   *
   * @param action the Deploy's ref
   * @param pod the pod concerned, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Note(String type, String action, String pod, String message) {
    public Note {
      type = NOTE;
    }

    public Note(String action, String pod, String message) {
      this(NOTE, action, pod, message);
    }
  }

  /** The stream failed or could not start; the daemon closes it after this message. */
  public record Error(String type, ApiError error) {
    public Error {
      type = ERROR;
    }

    public Error(ApiError error) {
      this(ERROR, error);
    }
  }
}
