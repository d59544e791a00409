package dev.grove.actions.kube;

import dev.grove.actions.spi.ActionException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one place Grove writes to a cluster: server-side apply (field manager {@code grove},
 * conflicts forced) of an action's objects, an inventory per action (a ConfigMap naming what it
 * applied) so that objects it no longer renders are pruned, status by version annotation, and
 * deletion. Blocking: call it on a worker thread.
 */
public final class KubeApplier {
  public static final String FIELD_MANAGER = "grove";
  static final String INVENTORY_PREFIX = "grove-inventory-";

  private final KubernetesClient client;
  private final KubeConfigResolver.Target target;

  public KubeApplier(KubernetesClient client, KubeConfigResolver.Target target) {
    this.client = Objects.requireNonNull(client, "client");
    this.target = Objects.requireNonNull(target, "target");
  }

  /** An object as the inventory names it. */
  public record ObjectId(String apiVersion, String kind, String namespace, String name) {
    static ObjectId of(HasMetadata object) {
      return new ObjectId(
          object.getApiVersion(),
          object.getKind(),
          object.getMetadata().getNamespace(),
          object.getMetadata().getName());
    }

    String line() {
      return apiVersion + " " + kind + " " + (namespace == null ? "-" : namespace) + " " + name;
    }

    static ObjectId parse(String line) {
      String[] parts = line.trim().split(" ");
      if (parts.length != 4) {
        return null;
      }
      return new ObjectId(parts[0], parts[1], parts[2].equals("-") ? null : parts[2], parts[3]);
    }

    @Override
    public String toString() {
      return kind + "/" + name;
    }
  }

  /** Creates the namespace when it is missing (Garden does too). */
  public void ensureNamespace(String namespace) throws ActionException {
    ensureNamespace(namespace, Map.of(), Map.of());
  }

  /**
   * Creates the namespace when it is missing, with the labels and annotations the provider's {@code
   * namespace: {name, labels, annotations}} gives.
   */
  public void ensureNamespace(
      String namespace, Map<String, String> labels, Map<String, String> annotations)
      throws ActionException {
    try {
      if (client.namespaces().withName(namespace).get() == null) {
        client
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(namespace)
                    .addToLabels(labels)
                    .addToLabels(GroveLabels.MANAGED_BY, GroveLabels.MANAGER)
                    .addToAnnotations(annotations)
                    .endMetadata()
                    .build())
            .create();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw KubeClients.failure(target, "create the namespace " + namespace, e);
      }
    }
  }

  /**
   * Applies the objects, then records them in the action's inventory and deletes what the previous
   * inventory named that is no longer there.
   *
   * @param action the action ref, e.g. {@code deploy.api}
   * @return the objects pruned
   */
  public List<ObjectId> apply(
      String action, String version, String namespace, List<Map<String, Object>> objects)
      throws ActionException {
    List<HasMetadata> resources = toResources(objects);
    Set<ObjectId> applied = new LinkedHashSet<>();
    for (HasMetadata resource : resources) {
      ObjectId id = ObjectId.of(resource);
      try {
        client.resource(resource).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      } catch (KubernetesClientException e) {
        throw KubeClients.failure(target, "apply " + id, e);
      }
      applied.add(id);
    }
    Set<ObjectId> before = inventory(action, namespace);
    writeInventory(action, version, namespace, applied);
    List<ObjectId> pruned = new ArrayList<>();
    for (ObjectId old : before) {
      if (!applied.contains(old) && !keptOnDelete(old)) {
        delete(old);
        pruned.add(old);
      }
    }
    return pruned;
  }

  /** What the action's inventory names, empty when it never deployed here. */
  public Set<ObjectId> inventory(String action, String namespace) throws ActionException {
    ConfigMap map;
    try {
      map = client.configMaps().inNamespace(namespace).withName(inventoryName(action)).get();
    } catch (KubernetesClientException e) {
      throw KubeClients.failure(target, "read the inventory of " + action, e);
    }
    Set<ObjectId> ids = new LinkedHashSet<>();
    if (map == null || map.getData() == null || map.getData().get("objects") == null) {
      return ids;
    }
    for (String line : map.getData().get("objects").split("\n")) {
      ObjectId id = ObjectId.parse(line);
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** The version the inventory records, or null when the action never deployed here. */
  public String deployedVersion(String action, String namespace) throws ActionException {
    try {
      ConfigMap map =
          client.configMaps().inNamespace(namespace).withName(inventoryName(action)).get();
      return map == null || map.getData() == null ? null : map.getData().get("version");
    } catch (KubernetesClientException e) {
      throw KubeClients.failure(target, "read the inventory of " + action, e);
    }
  }

  /**
   * Deletes everything the action's inventory names, then the inventory. Answers what was deleted.
   */
  public List<ObjectId> deleteAction(String action, String namespace) throws ActionException {
    List<ObjectId> deleted = new ArrayList<>(inventory(action, namespace));
    for (ObjectId id : deleted) {
      delete(id);
    }
    try {
      client.configMaps().inNamespace(namespace).withName(inventoryName(action)).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw KubeClients.failure(target, "delete the inventory of " + action, e);
      }
    }
    return deleted;
  }

  /** The live object, or null when it does not exist. */
  public GenericKubernetesResource get(ObjectId id) throws ActionException {
    try {
      var resource = client.genericKubernetesResources(id.apiVersion(), id.kind());
      return id.namespace() == null
          ? resource.withName(id.name()).get()
          : resource.inNamespace(id.namespace()).withName(id.name()).get();
    } catch (KubernetesClientException e) {
      throw KubeClients.failure(target, "read " + id, e);
    }
  }

  /**
   * Namespaces an action's manifests created are never deleted by prune or delete: they hold other
   * actions' objects and inventories too. {@code grove cleanup namespace} (or kubectl) removes
   * them.
   */
  public static boolean keptOnDelete(ObjectId id) {
    return id.kind().equals("Namespace") && id.namespace() == null;
  }

  private void delete(ObjectId id) throws ActionException {
    if (keptOnDelete(id)) {
      return;
    }
    try {
      var resource = client.genericKubernetesResources(id.apiVersion(), id.kind());
      if (id.namespace() == null) {
        resource.withName(id.name()).delete();
      } else {
        resource.inNamespace(id.namespace()).withName(id.name()).delete();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw KubeClients.failure(target, "delete " + id, e);
      }
    }
  }

  private void writeInventory(
      String action, String version, String namespace, Set<ObjectId> applied)
      throws ActionException {
    StringBuilder lines = new StringBuilder();
    for (ObjectId id : applied) {
      lines.append(id.line()).append('\n');
    }
    Map<String, String> data = new LinkedHashMap<>();
    data.put("version", version);
    data.put("objects", lines.toString());
    ConfigMap inventory =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(inventoryName(action))
            .withNamespace(namespace)
            .addToLabels(GroveLabels.MANAGED_BY, GroveLabels.MANAGER)
            .addToLabels(GroveLabels.ACTION, action)
            .addToAnnotations(GroveLabels.VERSION, version)
            .endMetadata()
            .withData(data)
            .build();
    try {
      client.resource(inventory).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    } catch (KubernetesClientException e) {
      throw KubeClients.failure(target, "write the inventory of " + action, e);
    }
  }

  static String inventoryName(String action) {
    return INVENTORY_PREFIX + action.replace('.', '-');
  }

  /** Typed objects for the built-in kinds (no discovery needed), generic ones for the rest. */
  private List<HasMetadata> toResources(List<Map<String, Object>> objects) {
    List<HasMetadata> resources = new ArrayList<>();
    var serialization = client.getKubernetesSerialization();
    for (Map<String, Object> object : objects) {
      KubernetesResource resource = serialization.unmarshal(serialization.asJson(object));
      resources.add(
          resource instanceof HasMetadata typed
              ? typed
              : serialization.convertValue(object, GenericKubernetesResource.class));
    }
    return resources;
  }
}
