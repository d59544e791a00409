package dev.grove.orchestrator.dashboard;

import dev.grove.api.project.ProjectRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's logins. {@code grove dashboard} (with the daemon's token) asks for a one-time
 * code for its project; the browser trades the code, once and within {@link #CODE_TTL}, for a
 * session: an httpOnly cookie and a CSRF token, never the daemon's token. A session keeps the
 * project request it was opened for (the client's environment included), so that what the page
 * starts runs as the CLI's would. Both are bounded: the oldest go first.
 */
public final class DashboardSessions {
  /** How long a code may wait to be used. */
  public static final Duration CODE_TTL = Duration.ofMinutes(2);

  /** How long a session lasts. */
  public static final Duration SESSION_TTL = Duration.ofHours(12);

  /** The most codes and sessions kept at once. */
  static final int LIMIT = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Map<String, Pending> codes = new LinkedHashMap<>();
  private final Map<String, Session> sessions = new LinkedHashMap<>();

  public DashboardSessions(Clock clock) {
    this.clock = clock;
  }

  /**
   * A logged-in page.
   *
   * @param id the cookie's value
   * @param csrf what state-changing requests must send in {@code X-Grove-CSRF}
   * @param project the project the page shows, as the CLI asked for it
   */
  public record Session(String id, String csrf, ProjectRequest project, Instant expires) {}

  private record Pending(ProjectRequest project, Instant expires) {}

  /** A new one-time code for a page of {@code project}. */
  public synchronized String code(ProjectRequest project) {
    String code = random();
    codes.put(code, new Pending(project, clock.instant().plus(CODE_TTL)));
    trim(codes);
    return code;
  }

  /** Trades a code for a session: once, and only before it expires. */
  public synchronized Optional<Session> redeem(String code) {
    if (code == null) {
      return Optional.empty();
    }
    Pending pending = codes.remove(code);
    if (pending == null || clock.instant().isAfter(pending.expires())) {
      return Optional.empty();
    }
    Session session =
        new Session(random(), random(), pending.project(), clock.instant().plus(SESSION_TTL));
    sessions.put(session.id(), session);
    trim(sessions);
    return Optional.of(session);
  }

  /** The live session of a cookie's value. */
  public synchronized Optional<Session> session(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session session = sessions.get(id);
    if (session == null) {
      return Optional.empty();
    }
    if (clock.instant().isAfter(session.expires())) {
      sessions.remove(id);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  private static void trim(Map<String, ?> map) {
    Iterator<String> oldest = map.keySet().iterator();
    while (map.size() > LIMIT && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  /** 32 random bytes, URL-safe. */
  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
