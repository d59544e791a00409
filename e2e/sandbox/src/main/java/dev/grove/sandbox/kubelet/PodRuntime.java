package dev.grove.sandbox.kubelet;

import dev.grove.sandbox.image.ImagePulls;
import dev.grove.sandbox.image.ImageReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the kubelet knows of a pod it runs, beyond what the API holds: its containers' lives. */
final class PodRuntime {

  final String namespace;
  final String name;
  final Instant startTime;
  final String podIp;
  final boolean runsToCompletion;
  final List<Container> init = new ArrayList<>();
  final List<Container> app = new ArrayList<>();

  PodRuntime(Pod pod, Instant startTime, String podIp) {
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.startTime = startTime;
    this.podIp = podIp;
    String policy = pod.getSpec().getRestartPolicy();
    this.runsToCompletion = policy != null && !policy.isEmpty() && !policy.equals("Always");
    if (pod.getSpec().getInitContainers() != null) {
      pod.getSpec().getInitContainers().forEach(c -> init.add(new Container(c, true)));
    }
    pod.getSpec().getContainers().forEach(c -> app.add(new Container(c, false)));
  }

  List<Container> all() {
    List<Container> all = new ArrayList<>(init);
    all.addAll(app);
    return all;
  }

  /** Where a container is in its life here. */
  enum Phase {
    CREATING,
    ERR_IMAGE_PULL,
    BACK_OFF,
    INVALID,
    RUNNING,
    TERMINATED
  }

  /** One container of a pod the kubelet runs. */
  static final class Container {
    final String name;
    final String image;
    final boolean init;
    final List<String> command;
    final List<String> args;
    Phase phase = Phase.CREATING;
    String message;
    Instant failedAt;
    Instant nextPull;
    Instant startedAt;
    Instant finishedAt;
    String imageId = "";
    String runtimeImage;
    String containerId;
    ImageReference reference;
    CompletableFuture<ImagePulls.Result> pull;

    Container(io.fabric8.kubernetes.api.model.Container spec, boolean init) {
      this.name = spec.getName();
      this.image = spec.getImage();
      this.runtimeImage = spec.getImage();
      this.init = init;
      this.command = spec.getCommand() == null ? List.of() : List.copyOf(spec.getCommand());
      this.args = spec.getArgs() == null ? List.of() : List.copyOf(spec.getArgs());
    }

    String fieldPath() {
      return (init ? "spec.initContainers{" : "spec.containers{") + name + "}";
    }
  }
}
