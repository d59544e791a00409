package dev.grove.orchestrator.workflow;

/** The error codes of workflow and custom command runs. */
final class WorkflowCodes {
  /** A step failed: its program exited non-zero, or the Grove run it started did not succeed. */
  static final String STEP_FAILED = "STEP_FAILED";

  private WorkflowCodes() {}
}
