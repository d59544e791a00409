package dev.grove.orchestrator.config;

import java.util.List;
import java.util.Map;

/**
 * A {@code kind: Workflow} document, checked against Garden's schema but not resolved: Garden
 * resolves a workflow's fields when it runs (and its steps' {@code command} and {@code script} step
 * by step, when the previous steps' results are known).
 *
 * @param envVars the raw {@code envVars} (templated), empty when absent
 * @param files the raw {@code files} (templated), empty when absent
 */
public record WorkflowConfig(
    String name,
    String description,
    Map<String, Object> envVars,
    List<Object> files,
    List<Step> steps,
    ConfigDocument document) {

  public WorkflowConfig {
    envVars = envVars == null ? Map.of() : envVars;
    files = files == null ? List.of() : files;
    steps = List.copyOf(steps);
  }

  /**
   * One step; exactly one of {@code command} and {@code script}. The other fields are raw values
   * (templates resolved when the workflow runs).
   *
   * @param index 0-based position in {@code steps}
   * @param name the step's own {@code name}, or Garden's {@code step-<n>}
   * @param command the raw {@code command} items, or null
   * @param script the raw {@code script}, or null
   */
  public record Step(
      int index,
      String name,
      String description,
      List<Object> command,
      String script,
      Object envVars,
      Object skip,
      Object when,
      Object continueOnError) {

    /** Where the step is in its document, for messages: {@code steps[2]}. */
    public String path() {
      return "steps[" + index + "]";
    }
  }

  /** The step {@code name}, e.g. {@code step-3} for an unnamed third step. */
  public static String stepName(int index, String name) {
    return name != null ? name : "step-" + (index + 1);
  }
}
