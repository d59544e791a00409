package dev.grove.api.render;

import java.util.List;

/** The rendered Deploys, in the project's order. */
public record RenderResult(List<RenderedDeploy> deploys) {
  public RenderResult {
    deploys = deploys == null ? List.of() : List.copyOf(deploys);
  }

  /**
   * One Deploy.
   *
   * @param action {@code deploy.<name>}
   * @param yaml its objects as a multi-document YAML stream (empty when {@code note} says why)
   * @param warnings lint findings such as {@code GROVE_PULL_SECRET}
   * @param note why nothing was rendered (e.g. an exec Deploy applies nothing)
   */
  public record RenderedDeploy(String action, String yaml, List<Warning> warnings, String note) {
    public RenderedDeploy {
      warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
  }

  /** A lint finding. */
  public record Warning(String code, String message, String suggestion) {}
}
