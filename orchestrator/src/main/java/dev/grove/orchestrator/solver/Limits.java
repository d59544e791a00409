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

  public int of(ActionKind kind) {
    return perKind.getOrDefault(kind, overall);
  }
}
