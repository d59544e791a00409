package dev.grove.sandbox.controller;

import dev.grove.sandbox.cluster.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Random;

/**
 * The sandbox's controllers, wired to one client, one event recorder and one source of names: what
 * {@code SimulatedKubelet} runs in its loop and {@code TestController} plays step by step.
 */
public record Controllers(
    EventRecorder events,
    NamespaceController namespaces,
    DeploymentController deployments,
    ReplicaSetController replicaSets,
    StatefulSetController statefulSets,
    DaemonSetController daemonSets,
    JobController jobs) {

  public static Controllers create(KubernetesClient client, Clock clock, Random random) {
    Names names = new Names(random);
    EventRecorder events = new EventRecorder(client, clock);
    PodFactory pods = new PodFactory(client);
    return new Controllers(
        events,
        new NamespaceController(client),
        new DeploymentController(client, events),
        new ReplicaSetController(client, pods, events, names),
        new StatefulSetController(client, pods, events),
        new DaemonSetController(client, pods, events, names),
        new JobController(client, pods, events, names));
  }
}
