package dev.grove.sandbox;

import dev.grove.sandbox.cluster.ClusterState;
import dev.grove.sandbox.cluster.Node;
import dev.grove.sandbox.cluster.PodLogs;
import dev.grove.sandbox.controller.Controllers;
import dev.grove.sandbox.image.ImagePulls;
import dev.grove.sandbox.kubelet.CriKubelet;
import dev.grove.sandbox.kubelet.Kubelet;
import dev.grove.sandbox.kubelet.NodeKubelet;
import dev.grove.sandbox.kubelet.PodStreams;
import dev.grove.sandbox.node.LinuxNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's controllers and kubelet, one loop: every {@link #PERIOD} it reads the cluster
 * through the API ({@link ClusterState}) and lets each controller write what differs from what
 * should be: namespaces' default service accounts, Deployments → ReplicaSets → Pods, StatefulSets,
 * DaemonSets and Jobs → Pods, then the kubelet runs the pods ({@link Kubelet}).
 *
 * <p>Why a poll and not watches: the loop is level-triggered, like the real controllers' resyncs
 * but every turn, so nothing depends on not missing an event (the mock server's watches have no
 * bookmarks or resumption), timed steps (image pull back-off, a job container's run) fall out of
 * comparing times, and one thread does everything, so controllers never race each other. The cost
 * is eight list requests per full turn on loopback, a few milliseconds for a sandbox's few objects;
 * an idle sandbox turns fully once a second (measured: 9.5% of a core with full turns every 200 ms,
 * about 3% this way).
 */
public final class SimulatedKubelet implements AutoCloseable {

  /** How often the loop turns. */
  public static final Duration PERIOD = Duration.ofMillis(200);

  /** How often a turn reconciles everything when nothing changed. */
  static final Duration IDLE_PERIOD = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedKubelet.class);

  private final KubernetesClient client;
  private final ScheduledExecutorService loop;
  private final ExecutorService pulls;
  private final Clock clock;
  private final Controllers controllers;
  private final NodeKubelet kubelet;
  private final Optional<dev.grove.sandbox.service.ServiceProxy> services;
  private volatile boolean closing;
  private String lastVersion;
  private Instant lastFullTurn = Instant.EPOCH;

  private SimulatedKubelet(
      KubernetesClient client,
      PodLogs logs,
      Clock clock,
      ImagePulls imagePulls,
      Optional<LinuxNode> node) {
    this.client = client;
    this.clock = clock;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "sandbox-controllers"));
    this.pulls = Executors.newFixedThreadPool(2, r -> daemonThread(r, "sandbox-image-pulls"));
    Random random = new Random();
    this.controllers = Controllers.create(client, clock, random);
    this.kubelet =
        node.isPresent()
            ? new CriKubelet(client, node.get(), logs, controllers.events(), clock)
            : new Kubelet(client, imagePulls, pulls, logs, controllers.events(), random);
    this.services = node.map(n -> dev.grove.sandbox.service.ServiceProxy.start(n.network()));
  }

  /**
   * Starts the loop against the API at {@code config}, writing container logs to {@code logs}.
   * Before it returns, the cluster has its system namespaces and its node.
   *
   * @param vertx the vert.x the API client runs on (the API server's own, in the sandbox)
   * @param imagePulls how the node pulls images
   */
  public static SimulatedKubelet start(
      Config config, Vertx vertx, PodLogs logs, Clock clock, ImagePulls imagePulls) {
    return start(config, vertx, logs, clock, imagePulls, Optional.empty());
  }

  /**
   * As {@link #start(Config, Vertx, PodLogs, Clock, ImagePulls)}, with the node's containers run by
   * {@code node} when present (containerd through CRI) instead of simulated.
   */
  public static SimulatedKubelet start(
      Config config,
      Vertx vertx,
      PodLogs logs,
      Clock clock,
      ImagePulls imagePulls,
      Optional<LinuxNode> node) {
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new Vertx5HttpClientFactory(vertx))
            .build();
    SimulatedKubelet kubelet = new SimulatedKubelet(client, logs, clock, imagePulls, node);
    try {
      kubelet.controllers.namespaces().bootstrap();
      kubelet.kubelet.registerNode(clock.instant());
    } catch (RuntimeException e) {
      kubelet.close();
      throw e;
    }
    kubelet.loop.scheduleWithFixedDelay(kubelet::turn, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "{} kubelet and controllers started, node {}",
        node.isPresent() ? "The containerd (CRI)" : "Simulated",
        Node.NAME);
    return kubelet;
  }

  /**
   * The kubelet's streaming side (exec, attach, port-forward) when the node runs real containers;
   * empty when they are simulated.
   */
  public Optional<PodStreams> streams() {
    return kubelet.streams();
  }

  /**
   * One turn of the loop; never throws, or the executor would stop scheduling it. A turn reads and
   * reconciles everything when the cluster changed (its resourceVersion moved, which one small list
   * tells), when the kubelet waits for something timed (a pull, a back-off, a job container's run),
   * and at least every {@link #IDLE_PERIOD} (deletions do not move the mock's resourceVersion);
   * otherwise it stops there, so an idle sandbox costs little CPU.
   */
  void turn() {
    try {
      Instant now = clock.instant();
      String version = client.nodes().list().getMetadata().getResourceVersion();
      if (version != null
          && version.equals(lastVersion)
          && !kubelet.waiting()
          && now.isBefore(lastFullTurn.plus(IDLE_PERIOD))) {
        return;
      }
      lastVersion = version;
      lastFullTurn = now;
      ClusterState state = ClusterState.read(client, now);
      each(state, state.namespaces(), controllers.namespaces()::reconcile);
      each(state, state.deployments(), controllers.deployments()::reconcile);
      each(state, state.replicaSets(), controllers.replicaSets()::reconcile);
      each(state, state.statefulSets(), controllers.statefulSets()::reconcile);
      each(state, state.daemonSets(), controllers.daemonSets()::reconcile);
      each(state, state.jobs(), controllers.jobs()::reconcile);
      kubelet.reconcile(state);
      services.ifPresent(s -> s.reconcile(state));
      Set<String> live = new HashSet<>();
      for (List<? extends HasMetadata> objects :
          List.of(
              state.deployments(),
              state.replicaSets(),
              state.statefulSets(),
              state.daemonSets(),
              state.jobs(),
              state.pods())) {
        objects.forEach(o -> live.add(o.getMetadata().getUid()));
      }
      controllers.events().retain(live);
      collectGarbage(state, live);
    } catch (RuntimeException e) {
      if (!closing) { // closing interrupts the turn's requests: nothing to tell
        LOG.warn("A turn of the controllers failed; the next one tries again", e);
      }
    }
  }

  /**
   * The garbage collector's part: a ReplicaSet or pod whose controlling owner is gone (a delete
   * that raced a controller's turn) is deleted, as a cluster's garbage collector would.
   */
  private void collectGarbage(ClusterState state, Set<String> live) {
    List<HasMetadata> dependents = new ArrayList<>(state.replicaSets());
    dependents.addAll(state.pods());
    for (HasMetadata dependent : dependents) {
      Optional<String> owner = ClusterState.ownerUid(dependent);
      if (owner.isEmpty() || live.contains(owner.get())) {
        continue;
      }
      try {
        client.resource(dependent).withGracePeriod(0).delete();
      } catch (KubernetesClientException e) {
        LOG.debug(
            "garbage {}/{}: {}",
            dependent.getKind(),
            dependent.getMetadata().getName(),
            e.getMessage());
      }
    }
  }

  /** Runs a controller on each object; one object's failure does not stop the others. */
  private <T extends HasMetadata> void each(
      ClusterState state, List<T> objects, BiConsumer<ClusterState, T> controller) {
    for (T object : objects) {
      try {
        controller.accept(state, object);
      } catch (KubernetesClientException e) {
        // mostly a conflict with a writer in between: the next turn sees the new state
        LOG.debug(
            "{} {}/{}: {}",
            object.getKind(),
            object.getMetadata().getNamespace(),
            object.getMetadata().getName(),
            e.getMessage());
      } catch (RuntimeException e) {
        if (closing) {
          return;
        }
        LOG.warn(
            "{} {}/{} could not be reconciled",
            object.getKind(),
            object.getMetadata().getNamespace(),
            object.getMetadata().getName(),
            e);
      }
    }
  }

  private static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    closing = true;
    loop.shutdownNow();
    pulls.shutdownNow();
    try {
      if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("The controllers' loop did not stop in 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.ifPresent(dev.grove.sandbox.service.ServiceProxy::close);
    kubelet.close(); // the real node's pods: stopped and removed
    client.close();
  }
}
