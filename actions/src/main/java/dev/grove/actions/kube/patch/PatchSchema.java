package dev.grove.actions.kube.patch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The strategic-merge metadata of the built-in kinds: the {@code patchStrategy} and {@code
 * patchMergeKey} struct tags that k8s.io/api declares (as compiled into kubectl 1.32), on the paths
 * that lead to them. A field not listed merges like a plain JSON object (maps merged key by key,
 * lists replaced), which is what an untagged field does.
 *
 * <p>{@code retainKeys} in a tag only matters when a patch is computed from two objects; a {@code
 * $retainKeys} directive in a patch is honoured wherever it appears.
 */
final class PatchSchema {

  /**
   * How one field merges.
   *
   * @param strategy {@code merge}, {@code replace} or empty (lists atomic, maps merged)
   * @param mergeKey the key that identifies items of a merged list of objects, empty for lists of
   *     scalars
   * @param type the type below the field: the item type for lists
   */
  record Field(String strategy, String mergeKey, PatchSchema type) {}

  /** A type with no tags anywhere below it. */
  static final PatchSchema ANY = new PatchSchema(Map.of());

  private static final Field PLAIN = new Field("", "", ANY);

  private final Map<String, Field> fields;

  private PatchSchema(Map<String, Field> fields) {
    this.fields = Map.copyOf(fields);
  }

  Field field(String name) {
    return fields.getOrDefault(name, PLAIN);
  }

  // ---- the table ----

  private static final PatchSchema OBJECT_META =
      type().tag("finalizers", "merge", "").tag("ownerReferences", "merge", "uid").build();

  private static final PatchSchema CONTAINER =
      type()
          .tag("ports", "merge", "containerPort")
          .tag("env", "merge", "name")
          .tag("volumeMounts", "merge", "mountPath")
          .tag("volumeDevices", "merge", "devicePath")
          .build();

  private static final PatchSchema POD_SPEC =
      type()
          .tag("volumes", "merge,retainKeys", "name")
          .tag("initContainers", "merge", "name", CONTAINER)
          .tag("containers", "merge", "name", CONTAINER)
          .tag("ephemeralContainers", "merge", "name", CONTAINER)
          .tag("imagePullSecrets", "merge", "name")
          .tag("hostAliases", "merge", "ip")
          .tag("topologySpreadConstraints", "merge", "topologyKey")
          .tag("schedulingGates", "merge", "name")
          .tag("resourceClaims", "merge,retainKeys", "name")
          .build();

  private static final PatchSchema POD_STATUS =
      type()
          .tag("conditions", "merge", "type")
          .tag("podIPs", "merge", "ip")
          .tag("hostIPs", "merge", "ip")
          .tag("resourceClaimStatuses", "merge,retainKeys", "name")
          .build();

  /** The status of most workloads: conditions merged by type. */
  private static final PatchSchema CONDITIONS = type().tag("conditions", "merge", "type").build();

  private static final PatchSchema POD_TEMPLATE_SPEC =
      type().in("metadata", OBJECT_META).in("spec", POD_SPEC).build();

  private static final PatchSchema WITH_POD_TEMPLATE =
      type().in("template", POD_TEMPLATE_SPEC).build();

  private static final PatchSchema JOB_SPEC = WITH_POD_TEMPLATE;

  private static final PatchSchema CRON_JOB_SPEC =
      type()
          .in("jobTemplate", type().in("metadata", OBJECT_META).in("spec", JOB_SPEC).build())
          .build();

  private static final PatchSchema WEBHOOK = type().tag("matchConditions", "merge", "name").build();

  /** group/Kind (core group empty) to the object's type. */
  private static final Map<String, PatchSchema> KINDS = new HashMap<>();

  static {
    // core
    kind("", "Pod", object(POD_SPEC, POD_STATUS));
    kind("", "PodTemplate", type().in("metadata", OBJECT_META).in("template", POD_TEMPLATE_SPEC));
    kind("", "ReplicationController", object(WITH_POD_TEMPLATE, CONDITIONS));
    kind("", "Service", object(type().tag("ports", "merge", "port").build(), CONDITIONS));
    kind("", "ServiceAccount", type().in("metadata", OBJECT_META).tag("secrets", "merge", "name"));
    kind("", "Namespace", object(ANY, CONDITIONS));
    kind("", "PersistentVolumeClaim", object(ANY, CONDITIONS));
    kind(
        "",
        "Node",
        object(
            type().tag("podCIDRs", "merge", "").build(),
            type().tag("conditions", "merge", "type").tag("addresses", "merge", "type").build()));
    plain(
        "",
        "ConfigMap",
        "Secret",
        "Endpoints",
        "LimitRange",
        "ResourceQuota",
        "PersistentVolume",
        "Event",
        "Binding",
        "ComponentStatus");
    // workloads; extensions and the beta apps versions carry the same tags
    for (String group : List.of("apps", "extensions")) {
      kind(
          group,
          "Deployment",
          object(
              type().in("template", POD_TEMPLATE_SPEC).tag("strategy", "retainKeys", "").build(),
              CONDITIONS));
      kind(group, "DaemonSet", object(WITH_POD_TEMPLATE, CONDITIONS));
      kind(group, "ReplicaSet", object(WITH_POD_TEMPLATE, CONDITIONS));
    }
    kind("apps", "StatefulSet", object(WITH_POD_TEMPLATE, CONDITIONS));
    plain("apps", "ControllerRevision");
    kind("batch", "Job", object(JOB_SPEC, CONDITIONS));
    kind("batch", "CronJob", object(CRON_JOB_SPEC, ANY));
    // the rest
    plain("networking.k8s.io", "Ingress", "IngressClass", "NetworkPolicy");
    plain("extensions", "Ingress", "NetworkPolicy");
    kind(
        "policy",
        "PodDisruptionBudget",
        object(type().tag("selector", "replace", "").build(), CONDITIONS));
    kind("autoscaling", "HorizontalPodAutoscaler", object(ANY, CONDITIONS));
    plain("rbac.authorization.k8s.io", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");
    plain("scheduling.k8s.io", "PriorityClass");
    plain("storage.k8s.io", "StorageClass", "CSIDriver", "VolumeAttachment");
    kind("storage.k8s.io", "CSINode", object(type().tag("drivers", "merge", "name").build(), ANY));
    plain("coordination.k8s.io", "Lease");
    plain("discovery.k8s.io", "EndpointSlice");
    plain("node.k8s.io", "RuntimeClass");
    plain("certificates.k8s.io", "CertificateSigningRequest");
    for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
      kind(
          "admissionregistration.k8s.io",
          kind,
          type().in("metadata", OBJECT_META).tag("webhooks", "merge", "name", WEBHOOK));
    }
    kind(
        "admissionregistration.k8s.io",
        "ValidatingAdmissionPolicy",
        object(
            type()
                .tag("matchConditions", "merge", "name")
                .tag("variables", "merge", "name")
                .build(),
            ANY));
    plain("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding");
  }

  /**
   * The type of a built-in kind, by API group (any version) and kind; empty for custom resources
   * and kinds Grove has no table for.
   */
  static Optional<PatchSchema> forKind(String apiVersion, String kind) {
    return Optional.ofNullable(KINDS.get(group(apiVersion) + "/" + kind));
  }

  static String group(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  private static void kind(String group, String kind, Builder type) {
    kind(group, kind, type.build());
  }

  private static void kind(String group, String kind, PatchSchema type) {
    KINDS.put(group + "/" + kind, type);
  }

  private static void plain(String group, String... kinds) {
    for (String kind : kinds) {
      kind(group, kind, type().in("metadata", OBJECT_META));
    }
  }

  private static PatchSchema object(PatchSchema spec, PatchSchema status) {
    return type().in("metadata", OBJECT_META).in("spec", spec).in("status", status).build();
  }

  private static Builder type() {
    return new Builder();
  }

  private static final class Builder {
    private final Map<String, Field> fields = new HashMap<>();

    /** An untagged field whose type has tags below it. */
    Builder in(String name, PatchSchema type) {
      fields.put(name, new Field("", "", type));
      return this;
    }

    /** A tagged field with no tags below it. */
    Builder tag(String name, String patchStrategy, String patchMergeKey) {
      return tag(name, patchStrategy, patchMergeKey, ANY);
    }

    /**
     * A tagged field, written as the tag is ({@code "merge,retainKeys"}); the type is the item type
     * for lists.
     */
    Builder tag(String name, String patchStrategy, String patchMergeKey, PatchSchema type) {
      String strategy = "";
      for (String s : patchStrategy.split(",")) {
        if (!s.equals("retainKeys")) {
          strategy = s;
        }
      }
      fields.put(name, new Field(strategy, patchMergeKey, type));
      return this;
    }

    PatchSchema build() {
      return new PatchSchema(fields);
    }
  }
}
