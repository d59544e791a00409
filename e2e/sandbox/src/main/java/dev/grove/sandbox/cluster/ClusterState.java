package dev.grove.sandbox.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * What the controllers see in one turn of the loop: every object they act on, read through the API
 * at the start of the turn. Controllers compare it with what should be and write the difference;
 * what they write is seen in the next turn.
 */
public record ClusterState(
    Instant now,
    List<Namespace> namespaces,
    List<ServiceAccount> serviceAccounts,
    List<Deployment> deployments,
    List<ReplicaSet> replicaSets,
    List<StatefulSet> statefulSets,
    List<DaemonSet> daemonSets,
    List<ControllerRevision> controllerRevisions,
    List<Job> jobs,
    List<Pod> pods,
    List<Service> services) {

  public ClusterState {
    namespaces = List.copyOf(namespaces);
    serviceAccounts = List.copyOf(serviceAccounts);
    deployments = List.copyOf(deployments);
    replicaSets = List.copyOf(replicaSets);
    statefulSets = List.copyOf(statefulSets);
    daemonSets = List.copyOf(daemonSets);
    controllerRevisions = List.copyOf(controllerRevisions);
    jobs = List.copyOf(jobs);
    pods = List.copyOf(pods);
    services = List.copyOf(services);
  }

  public static ClusterState read(KubernetesClient client, Instant now) {
    return new ClusterState(
        now,
        client.namespaces().list().getItems(),
        client.serviceAccounts().inAnyNamespace().list().getItems(),
        client.apps().deployments().inAnyNamespace().list().getItems(),
        client.apps().replicaSets().inAnyNamespace().list().getItems(),
        client.apps().statefulSets().inAnyNamespace().list().getItems(),
        client.apps().daemonSets().inAnyNamespace().list().getItems(),
        client.apps().controllerRevisions().inAnyNamespace().list().getItems(),
        client.batch().v1().jobs().inAnyNamespace().list().getItems(),
        client.pods().inAnyNamespace().list().getItems(),
        client.services().inAnyNamespace().list().getItems());
  }

  /** The objects among {@code objects} that {@code owner} controls (by ownerReference uid). */
  public static <T extends HasMetadata> List<T> ownedBy(List<T> objects, HasMetadata owner) {
    String uid = owner.getMetadata().getUid();
    return objects.stream()
        .filter(o -> ownerUid(o).filter(uid::equals).isPresent())
        .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  /** The uid of the object's controller, if it has one. */
  public static Optional<String> ownerUid(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    if (refs == null) {
      return Optional.empty();
    }
    return refs.stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()))
        .map(OwnerReference::getUid)
        .findFirst();
  }

  /** The reference a controller puts on what it creates. */
  public static OwnerReference controllerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  public Optional<ServiceAccount> serviceAccount(String namespace, String name) {
    return serviceAccounts.stream()
        .filter(sa -> namespace.equals(sa.getMetadata().getNamespace()))
        .filter(sa -> name.equals(sa.getMetadata().getName()))
        .findFirst();
  }

  /** The time as the API writes it: RFC 3339, whole seconds. */
  public String timestamp() {
    return timestamp(now);
  }

  public static String timestamp(Instant time) {
    return time.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  public static int replicas(Integer replicas) {
    return replicas == null ? 1 : replicas;
  }

  /** Zero as the API writes counts: absent. */
  public static Integer count(int n) {
    return n == 0 ? null : n;
  }
}
