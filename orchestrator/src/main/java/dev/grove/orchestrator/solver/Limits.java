package dev.grove.orchestrator.solver;

import dev.grove.api.action.ActionKind;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many actions run at once: per kind and overall. Garden's are builds 5, deploys 10, cap 50;
 * Grove's defaults are a little lower for laptops: Build 4, Deploy 8, Run 8, Test 8, overall 16.
 */
public record Limits(Map<ActionKind, Integer> perKind, int overall) {
  public Limits {
    perKind = Map.copyOf(perKind);
    if (overall < 1) {
      throw new IllegalArgumentException("the overall limit must be at least 1");
    }
  }

  public static Limits defaults() {
    Map<ActionKind, Integer> perKind = new EnumMap<>(ActionKind.class);
    perKind.put(ActionKind.BUILD, 4);
    perKind.put(ActionKind.DEPLOY, 8);
    perKind.put(ActionKind.RUN, 8);
    perKind.put(ActionKind.TEST, 8);
    return new Limits(perKind, 16);
  }

  /**
   * These limits with {@code overrides} ({@code build}, {@code deploy}, {@code run}, {@code test},
   * {@code overall}) on top; an unknown key is a BAD_REQUEST naming it.
   */
  public Limits with(Map<String, Integer> overrides, String where) {
    if (overrides.isEmpty()) {
      return this;
    }
    Map<ActionKind, Integer> kinds = new EnumMap<>(ActionKind.class);
    kinds.putAll(perKind);
    int all = overall;
    for (Map.Entry<String, Integer> entry : overrides.entrySet()) {
      if (entry.getValue() == null || entry.getValue() < 1) {
        throw new dev.grove.orchestrator.error.GroveException(
            dev.grove.api.error.ErrorCodes.BAD_REQUEST,
            where + ": the limit of `" + entry.getKey() + "` must be at least 1.",
            "Give a whole number of 1 or more.");
      }
      if (entry.getKey().equals("overall")) {
        all = entry.getValue();
        continue;
      }
      ActionKind kind =
          ActionKind.parse(entry.getKey())
              .orElseThrow(
                  () ->
                      new dev.grove.orchestrator.error.GroveException(
                          dev.grove.api.error.ErrorCodes.BAD_REQUEST,
                          where + ": unknown limit `" + entry.getKey() + "`.",
                          "Limit build, deploy, run, test or overall."));
      kinds.put(kind, entry.getValue());
    }
    return new Limits(kinds, all);
  }

  public int of(ActionKind kind) {
    return perKind.getOrDefault(kind, overall);
  }
}
