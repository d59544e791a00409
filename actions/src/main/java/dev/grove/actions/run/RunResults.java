package dev.grove.actions.run;

import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionHandler.Status;
import dev.grove.actions.spi.RunResult;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a kept result makes a Test or Run ready: it passed at the action's version (Garden's
 * cache).
 */
public final class RunResults {
  private RunResults() {}

  /**
   * Ready when one of {@code found} (where results are kept, first the most trusted) passed at the
   * action's version; its {@code log} is the output. Else {@code outdated} when some result is
   * kept, {@code not-ready} when none.
   */
  public static Status status(ActionContext ctx, List<Optional<RunResult>> found) {
    boolean any = false;
    for (Optional<RunResult> result : found) {
      if (result.isEmpty()) {
        continue;
      }
      any = true;
      RunResult last = result.get();
      if (last.passed() && last.version().equals(ctx.version())) {
        return new Status(
            true,
            (ctx.ref().kind() == dev.grove.api.action.ActionKind.TEST ? "passed " : "succeeded ")
                + last.finishedAt().truncatedTo(ChronoUnit.SECONDS)
                + " at this version; --force runs it again",
            Map.of("log", last.log()));
      }
    }
    return Status.notReady(any ? "outdated" : "not-ready");
  }
}
