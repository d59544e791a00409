package dev.grove.actions.kube;

import java.util.Set;

/**
 * The built-in kinds that live outside namespaces ({@code kubectl api-resources --namespaced=false}
 * of Kubernetes 1.33), by API group and kind. Grove sets a namespace on every other object that has
 * none, as {@code kubectl apply -n} does. A custom resource is taken as namespaced, which most are;
 * a cluster-scoped one (cert-manager's {@code ClusterIssuer}, say) is for the applier to correct
 * from the cluster's discovery, which only it can ask.
 */
public final class ClusterScopedKinds {

  private static final Set<String> KINDS =
      Set.of(
          "/ComponentStatus",
          "/Namespace",
          "/Node",
          "/PersistentVolume",
          "admissionregistration.k8s.io/MutatingAdmissionPolicy",
          "admissionregistration.k8s.io/MutatingAdmissionPolicyBinding",
          "admissionregistration.k8s.io/MutatingWebhookConfiguration",
          "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
          "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
          "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
          "apiextensions.k8s.io/CustomResourceDefinition",
          "apiregistration.k8s.io/APIService",
          "authentication.k8s.io/SelfSubjectReview",
          "authentication.k8s.io/TokenReview",
          "authorization.k8s.io/SelfSubjectAccessReview",
          "authorization.k8s.io/SelfSubjectRulesReview",
          "authorization.k8s.io/SubjectAccessReview",
          "certificates.k8s.io/CertificateSigningRequest",
          "certificates.k8s.io/ClusterTrustBundle",
          "flowcontrol.apiserver.k8s.io/FlowSchema",
          "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
          "networking.k8s.io/IPAddress",
          "networking.k8s.io/IngressClass",
          "networking.k8s.io/ServiceCIDR",
          "node.k8s.io/RuntimeClass",
          "policy/PodSecurityPolicy",
          "extensions/PodSecurityPolicy",
          "rbac.authorization.k8s.io/ClusterRole",
          "rbac.authorization.k8s.io/ClusterRoleBinding",
          "resource.k8s.io/DeviceClass",
          "resource.k8s.io/ResourceSlice",
          "scheduling.k8s.io/PriorityClass",
          "storage.k8s.io/CSIDriver",
          "storage.k8s.io/CSINode",
          "storage.k8s.io/StorageClass",
          "storage.k8s.io/VolumeAttachment",
          "storage.k8s.io/VolumeAttributesClass",
          "storagemigration.k8s.io/StorageVersionMigration");

  private ClusterScopedKinds() {}

  /**
   * Whether objects of this kind have no namespace.
   *
   * @param apiVersion {@code v1}, {@code rbac.authorization.k8s.io/v1}, ...
   */
  public static boolean isClusterScoped(String apiVersion, String kind) {
    return KINDS.contains(group(apiVersion) + "/" + kind);
  }

  /** The API group of an {@code apiVersion}: {@code apps} for {@code apps/v1}, empty for core. */
  public static String group(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }
}
