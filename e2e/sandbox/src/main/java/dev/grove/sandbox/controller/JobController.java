package dev.grove.sandbox.controller;

import dev.grove.sandbox.cluster.ClusterState;
import dev.grove.sandbox.cluster.EventRecorder;
import dev.grove.sandbox.cluster.KubeJson;
import dev.grove.sandbox.cluster.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The job controller: up to {@code parallelism} pods {@code <job>-<suffix>} at a time until {@code
 * completions} of them succeeded, then conditions SuccessCriteriaMet and Complete (Kubernetes 1.31
 * and later). A suspended job gets no pods. The simulated containers always exit 0, so jobs never
 * fail here; backoffLimit and activeDeadlineSeconds are not simulated.
 */
public final class JobController {

  public static final String COMPLETIONS_REACHED = "CompletionsReached";
  public static final String REACHED = "Reached expected number of succeeded pods";
  private static final String COMPONENT = "job-controller";

  private final KubernetesClient client;
  private final PodFactory pods;
  private final EventRecorder events;
  private final Names names;

  JobController(KubernetesClient client, PodFactory pods, EventRecorder events, Names names) {
    this.client = client;
    this.pods = pods;
    this.events = events;
    this.names = names;
  }

  public void reconcile(ClusterState state, Job job) {
    JobStatus before = job.getStatus();
    if (isComplete(before)) {
      return;
    }
    int completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
    int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
    boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());
    List<Pod> owned = ClusterState.ownedBy(state.pods(), job);
    int succeeded = (int) owned.stream().filter(Pods::succeeded).count();
    int failed = (int) owned.stream().filter(Pods::failed).count();
    List<Pod> active = owned.stream().filter(p -> !Pods.finished(p)).toList();
    int ready = (int) active.stream().filter(Pods::ready).count();
    boolean complete = succeeded >= completions;
    int wanted = suspended || complete ? 0 : Math.min(parallelism, completions - succeeded);
    for (int i = active.size(); i < wanted; i++) {
      String uid = job.getMetadata().getUid();
      Pod pod =
          pods.create(
              state,
              job.getMetadata().getName() + "-" + names.suffix(),
              job,
              job.getSpec().getTemplate(),
              Map.of(
                  "batch.kubernetes.io/controller-uid",
                  uid,
                  "batch.kubernetes.io/job-name",
                  job.getMetadata().getName(),
                  "controller-uid",
                  uid,
                  "job-name",
                  job.getMetadata().getName()),
              Map.of());
      events.record(
          job,
          null,
          EventRecorder.NORMAL,
          "SuccessfulCreate",
          "Created pod: " + pod.getMetadata().getName(),
          COMPONENT);
    }
    String startTime =
        before != null && before.getStartTime() != null
            ? before.getStartTime()
            : suspended ? null : state.timestamp();
    List<JobCondition> conditions = new ArrayList<>();
    if (complete) {
      conditions.add(condition("SuccessCriteriaMet", COMPLETIONS_REACHED, REACHED, state.now()));
      conditions.add(condition("Complete", COMPLETIONS_REACHED, REACHED, state.now()));
      events.record(job, null, EventRecorder.NORMAL, "Completed", "Job completed", COMPONENT);
    }
    JobStatus status =
        new JobStatusBuilder()
            .withStartTime(startTime)
            .withCompletionTime(complete ? state.timestamp() : null)
            .withActive(ClusterState.count(complete ? 0 : active.size()))
            .withReady(complete ? 0 : ready)
            .withSucceeded(ClusterState.count(succeeded))
            .withFailed(ClusterState.count(failed))
            .withTerminating(0)
            .withNewUncountedTerminatedPods()
            .endUncountedTerminatedPods()
            .withConditions(conditions)
            .build();
    if (!KubeJson.same(status, before)) {
      Job updated = KubeJson.copy(job);
      updated.setStatus(status);
      client.batch().v1().jobs().resource(updated).updateStatus();
    }
  }

  private static boolean isComplete(JobStatus status) {
    return status != null
        && status.getConditions().stream()
            .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** A True condition of {@code type}, as the job controller writes it at {@code now}. */
  public static JobCondition condition(String type, String reason, String message, Instant now) {
    String time = ClusterState.timestamp(now);
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(time)
        .withLastTransitionTime(time)
        .build();
  }
}
